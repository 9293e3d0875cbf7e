// Every error status, as the OpenAI SDK's matching error class. Upstream faults are injected
// through the mock provider's `mock` body field (the SDK passes unknown body fields through).
import { expect } from 'chai';
import OpenAI from 'openai';
import { defineProvider, type ChatRequest } from '@gatehousejs/core';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { QUICKSTART, REPO_ROOT } from './helpers/paths.js';
import { openAIClient, rejection } from './helpers/openai-client.js';

const user = (content: string) => [{ role: 'user' as const, content }];

/** A provider that offers only `chat`: everything else must be 501. */
const chatOnly = defineProvider({
  id: 'chat-only',
  apiVersion: 1,
  create: () => ({
    async chat(request: ChatRequest) {
      return {
        id: 'chatcmpl-chat-only',
        object: 'chat.completion' as const,
        created: 1,
        model: request.model ?? 'chat-only',
        choices: [{ index: 0, message: { role: 'assistant' as const, content: 'only chat' }, finish_reason: 'stop' as const }],
      };
    },
  }),
});

/** Chat with the mock's fault injection field, which the SDK's types do not know. */
function chatWithFault(client: OpenAI, mock: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return client.chat.completions.create({ model: 'chat', messages: user('fault please'), ...extra, mock } as never);
}

describe('OpenAI SDK error classes', function () {
  let gw: TestGateway;
  let strict: TestGateway;
  let client: OpenAI;
  let strictClient: OpenAI;

  before(async function () {
    gw = await startTestGateway({ configPath: QUICKSTART, watch: false });
    client = openAIClient(gw.url);
    // A small body limit, a short upstream timeout, and a provider that only does chat.
    strict = await startTestGateway({
      cwd: REPO_ROOT,
      providers: [chatOnly],
      config: {
        server: { body_limit: '1kb', upstream_timeout_seconds: 0.2 },
        endpoints: [
          { name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'mock-chat' } },
          { name: 'only-chat', endpoint_type: 'llm/v1/chat', model: { provider: 'chat-only', name: 'm' } },
          { name: 'only-chat-embeddings', endpoint_type: 'llm/v1/embeddings', model: { provider: 'chat-only', name: 'm' } },
          { name: 'only-chat-completions', endpoint_type: 'llm/v1/completions', model: { provider: 'chat-only', name: 'm' } },
        ],
      },
    });
    strictClient = openAIClient(strict.url);
  });

  after(async function () {
    await gw?.close();
    await strict?.close();
  });

  it('400 BadRequestError naming the bad field (temperature 3)', async function () {
    const error = await rejection(client.chat.completions.create({ model: 'chat', messages: user('hi'), temperature: 3 }));
    expect(error).to.be.instanceOf(OpenAI.BadRequestError);
    expect(error.status).to.equal(400);
    expect(error.message).to.include('temperature');
    expect(error.param).to.equal('temperature');
  });

  it('400 BadRequestError for a missing required field', async function () {
    const error = await rejection(client.chat.completions.create({ model: 'chat' } as never));
    expect(error).to.be.instanceOf(OpenAI.BadRequestError);
    expect(error.message).to.include('messages');
  });

  it('404 NotFoundError for an unknown endpoint, naming it', async function () {
    const error = await rejection(client.chat.completions.create({ model: 'no-such-endpoint', messages: user('hi') }));
    expect(error).to.be.instanceOf(OpenAI.NotFoundError);
    expect(error.message).to.include('no-such-endpoint');
  });

  it('404 NotFoundError for an unknown route', async function () {
    const error = await rejection(client.get('/no/such/route'));
    expect(error).to.be.instanceOf(OpenAI.NotFoundError);
  });

  it('400 BadRequestError when the endpoint is of another type', async function () {
    const error = await rejection(client.chat.completions.create({ model: 'embeddings', messages: user('hi') }));
    expect(error).to.be.instanceOf(OpenAI.BadRequestError);
    expect(error.message).to.include('llm/v1/embeddings');
  });

  it('413 when the body is over server.body_limit', async function () {
    const error = await rejection(strictClient.chat.completions.create({ model: 'chat', messages: user('x'.repeat(2048)) }));
    expect(error).to.be.instanceOf(OpenAI.APIError);
    expect(error.status).to.equal(413);
    expect(error.message).to.include('body_limit');
  });

  it('429 RateLimitError with Retry-After from an upstream 429', async function () {
    const error = await rejection(chatWithFault(client, { status: 429, retry_after: 7 }));
    expect(error).to.be.instanceOf(OpenAI.RateLimitError);
    expect(error.headers.get('retry-after')).to.equal('7');
  });

  it('501 for an endpoint type the provider lacks (embeddings on a chat-only provider)', async function () {
    const error = await rejection(strictClient.embeddings.create({ model: 'only-chat-embeddings', input: 'x' }));
    expect(error).to.be.instanceOf(OpenAI.InternalServerError);
    expect(error.status).to.equal(501);
    expect(error.message).to.include('llm/v1/embeddings');
  });

  it('501 for completions on a chat-only provider', async function () {
    const error = await rejection(strictClient.completions.create({ model: 'only-chat-completions', prompt: 'x' }));
    expect(error.status).to.equal(501);
  });

  it('501 for a stream from a provider without chatStream', async function () {
    const error = await rejection(strictClient.chat.completions.create({ model: 'only-chat', messages: user('hi'), stream: true }));
    expect(error.status).to.equal(501);
    expect(error.message).to.include('stream');
    // The same provider's plain chat works.
    const reply = await strictClient.chat.completions.create({ model: 'only-chat', messages: user('hi') });
    expect(reply.choices[0]!.message.content).to.equal('only chat');
  });

  it('502 for an upstream answer that is not valid', async function () {
    const error = await rejection(chatWithFault(client, { malformed: true }));
    expect(error).to.be.instanceOf(OpenAI.InternalServerError);
    expect(error.status).to.equal(502);
  });

  it('502 for an upstream 5xx', async function () {
    const error = await rejection(chatWithFault(client, { status: 503, message: 'overloaded' }));
    expect(error.status).to.equal(502);
    expect(error.message).to.include('overloaded');
  });

  it('504 when the upstream does not answer within upstream_timeout_seconds', async function () {
    const error = await rejection(chatWithFault(strictClient, { delay_ms: 2000 }));
    expect(error).to.be.instanceOf(OpenAI.InternalServerError);
    expect(error.status).to.equal(504);
  });

  it('an upstream 4xx keeps its status and message (422)', async function () {
    const error = await rejection(chatWithFault(client, { status: 422, message: 'unprocessable thing' }));
    expect(error).to.be.instanceOf(OpenAI.UnprocessableEntityError);
    expect(error.message).to.include('unprocessable thing');
  });

  it('an upstream failure before the first chunk of a stream gets its real status', async function () {
    const error = await rejection(chatWithFault(client, { status: 429, retry_after: 3 }, { stream: true }));
    expect(error).to.be.instanceOf(OpenAI.RateLimitError);
  });

  it('a mid-stream failure surfaces as an error in the SDK stream, never a clean end', async function () {
    const stream = await chatWithFault(client, { fail_after_chunks: 2 }, { stream: true });
    let text = '';
    let ended = false;
    const error = await rejection(
      (async () => {
        for await (const chunk of stream as unknown as AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
          text += chunk.choices[0]?.delta.content ?? '';
        }
        ended = true;
      })(),
    );
    expect(ended).to.equal(false);
    expect(error).to.be.instanceOf(OpenAI.APIError);
    expect(error.message).to.include('stream failed mid-way');
    expect(text).to.equal('This is ');
  });
});
