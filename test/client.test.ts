// The TypeScript client (@gatehousejs/core/client) against a real gateway on the quickstart's
// mock provider: every method, streams, typed errors, retries, timeouts and aborts. Faults come
// from the mock's per-request `mock` field; the attempts are counted by a recording fetch.
import { expect } from 'chai';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import {
  AbortedError,
  BadRequestError,
  ConnectionError,
  createClient,
  GatehouseError,
  NotFoundError,
  RateLimitError,
  ServerError,
  StreamError,
  TimeoutError,
  type ChatChunk,
  type ClientOptions,
  type CompletionsStreamChunk,
  type FetchLike,
  type PredictStreamChunk,
} from '@gatehousejs/core/client';
import { freePort } from './helpers/cli.js';
import { rejection } from './helpers/openai-client.js';
import { QUICKSTART } from './helpers/paths.js';

const ANSWER_TO = (prompt: string) => `This is a mock response from Gatehouse to: ${prompt}`;
const user = (content: string) => [{ role: 'user' as const, content }];

interface Sent {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: any;
}

/** A fetch that records every request it sends (one per attempt). */
function recordingFetch(): { fetch: FetchLike; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetch: FetchLike = (url, init) => {
    sent.push({ url, headers: init.headers as Record<string, string>, body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined });
    return globalThis.fetch(url, init);
  };
  return { fetch, sent };
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const chunks: T[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const chatText = (chunks: ChatChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

describe('TypeScript client against the quickstart gateway', function () {
  let gw: TestGateway;

  before(async function () {
    gw = await startTestGateway({ configPath: QUICKSTART, watch: false });
  });

  after(async function () {
    await gw?.close();
  });

  /** The gateway's access log line for a request, once written. */
  async function logLine(requestId: string): Promise<any> {
    for (let i = 0; i < 40; i++) {
      const found = gw.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === requestId && l.message === 'request');
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no log line for ${requestId}`);
  }

  /** A client that records its requests; no retries unless asked. */
  function client(options: ClientOptions = {}) {
    const recorder = recordingFetch();
    return { ...recorder, client: createClient(gw.url, { maxRetries: 0, retryDelayMs: 20, fetch: recorder.fetch, ...options }) };
  }

  describe('endpoints', function () {
    it('listEndpoints follows next_page_token across pages', async function () {
      const { client: c, sent } = client();
      const endpoints = await c.listEndpoints({ pageSize: 1 });
      expect(endpoints.map((e) => e.name)).to.deep.equal(['chat', 'completions', 'embeddings']);
      expect(sent).to.have.length(3);
      expect(new URL(sent[0]!.url).searchParams.has('page_token')).to.equal(false);
      expect(sent.slice(1).every((s) => new URL(s.url).searchParams.has('page_token'))).to.equal(true);
    });

    it('listEndpoints takes one request when everything fits a page', async function () {
      const { client: c, sent } = client();
      const endpoints = await c.listEndpoints();
      expect(endpoints).to.have.length(3);
      expect(sent).to.have.length(1);
      expect(endpoints[2]).to.deep.equal({
        name: 'embeddings',
        endpoint_type: 'llm/v1/embeddings',
        model: { name: 'mock-embeddings', provider: 'mock' },
        endpoint_url: '/gateway/embeddings/invocations',
        limit: null,
      });
    });

    it('getEndpoint returns one endpoint', async function () {
      const endpoint = await client().client.getEndpoint('completions');
      expect(endpoint.endpoint_type).to.equal('llm/v1/completions');
      expect(endpoint.model).to.deep.equal({ name: 'mock-completions', provider: 'mock' });
    });

    it('getEndpoint of an unknown name throws NotFoundError with the gateway message and code', async function () {
      const error = await rejection(client().client.getEndpoint('nope'));
      expect(error).to.be.instanceOf(NotFoundError).and.instanceOf(GatehouseError);
      expect(error.name).to.equal('NotFoundError');
      expect(error.status).to.equal(404);
      expect(error.code).to.equal('endpoint_not_found');
      expect(error.message).to.equal('No endpoint named "nope".');
    });
  });

  describe('predict', function () {
    it('chat', async function () {
      const reply = await client().client.predict('chat', { messages: user('hello client') });
      expect(reply.object).to.equal('chat.completion');
      expect(reply.choices[0]!.message.content).to.equal(ANSWER_TO('hello client'));
      expect(reply.usage!.total_tokens).to.be.greaterThan(0);
    });

    it('completions', async function () {
      const reply = await client().client.predict('completions', { prompt: 'once upon a time', max_tokens: 3 });
      expect(reply.object).to.equal('text_completion');
      expect(reply.choices[0]!.text).to.equal('This is a ');
      expect(reply.choices[0]!.finish_reason).to.equal('length');
    });

    it('embeddings', async function () {
      const reply = await client().client.predict('embeddings', { input: ['a', 'b'] });
      expect(reply.data).to.have.length(2);
      expect(reply.data[0]!.embedding).to.have.length(8);
    });

    it('sends the body to the invocations route, the API key as a Bearer token and extra headers', async function () {
      const { client: c, sent } = client({ apiKey: 'gh-key', headers: { 'x-gatehouse-metadata': 'team=docs' } });
      await c.predict('chat', { messages: user('headers'), temperature: 0.5 }, { headers: { 'x-request-id': 'client-test-1' } });
      expect(sent).to.have.length(1);
      expect(sent[0]!.url).to.equal(`${gw.url}/endpoints/chat/invocations`);
      expect(sent[0]!.headers).to.include({
        authorization: 'Bearer gh-key',
        'content-type': 'application/json',
        'x-gatehouse-metadata': 'team=docs',
        'x-request-id': 'client-test-1',
      });
      expect(sent[0]!.body).to.deep.equal({ messages: user('headers'), temperature: 0.5, stream: false });
    });

    it('a bad body throws BadRequestError naming the field, and is not retried', async function () {
      const { client: c, sent } = client({ maxRetries: 3 });
      const error = await rejection(c.predict('chat', { messages: 'not a list' as never }));
      expect(error).to.be.instanceOf(BadRequestError);
      expect(error.status).to.equal(400);
      expect(error.param).to.equal('messages');
      expect(error.message).to.match(/messages/);
      expect(sent).to.have.length(1);
    });

    it('an unknown endpoint throws NotFoundError with the request id', async function () {
      const error = await rejection(client().client.predict('nope', { input: 'x' }, { headers: { 'x-request-id': 'client-test-404' } }));
      expect(error).to.be.instanceOf(NotFoundError);
      expect(error.message).to.match(/No endpoint or route named "nope"/);
      expect(error.requestId).to.equal('client-test-404');
    });
  });

  describe('predictStream', function () {
    it('chat: chunks arrive one by one and add up to the answer', async function () {
      const chunks = await collect(client().client.predictStream('chat', { messages: user('stream me') }));
      expect(chunks.length).to.be.greaterThan(3);
      expect(chunks.every((c) => c.object === 'chat.completion.chunk')).to.equal(true);
      expect(chatText(chunks)).to.equal(ANSWER_TO('stream me'));
      expect(chunks.at(-1)!.choices[0]!.finish_reason).to.equal('stop');
    });

    it("completions: MLflow's text_completion_chunk with a delta", async function () {
      const { client: c, sent } = client();
      const chunks: CompletionsStreamChunk[] = await collect(c.predictStream('completions', { prompt: 'tell me' }));
      expect(sent[0]!.body.stream).to.equal(true);
      expect(sent[0]!.headers.accept).to.equal('text/event-stream');
      expect(chunks.every((c) => c.object === 'text_completion_chunk')).to.equal(true);
      expect(chunks.map((c) => c.choices[0]!.delta.content ?? '').join('')).to.equal(ANSWER_TO('tell me'));
      expect(chunks.at(-1)!.choices[0]!.finish_reason).to.equal('stop');
    });

    it('an event: error frame mid-stream is thrown as StreamError after the chunks before it, never retried', async function () {
      const { client: c, sent } = client({ maxRetries: 3 });
      const received: PredictStreamChunk[] = [];
      let caught: any;
      try {
        for await (const chunk of c.predictStream('chat', { messages: user('fail later'), mock: { fail_after_chunks: 2 } })) received.push(chunk);
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(StreamError);
      expect(caught.status).to.equal(undefined);
      expect(caught.code).to.equal('upstream_error');
      expect(caught.message).to.match(/stream failed mid-way/);
      expect(caught.requestId).to.be.a('string');
      expect(received).to.have.length(3); // the role chunk and two pieces of text
      expect(sent).to.have.length(1);
    });

    it('a failure before the first chunk keeps its status and is retried', async function () {
      const { client: c, sent } = client({ maxRetries: 1 });
      const error = await rejection(collect(c.predictStream('chat', { messages: user('x'), mock: { status: 429, retry_after: 0.05 } })));
      expect(error).to.be.instanceOf(RateLimitError);
      expect(sent).to.have.length(2);
    });

    it('leaving the loop early closes the stream: the gateway stops sending', async function () {
      // 40 words at the quickstart's 15 ms per chunk would take 600 ms or more.
      const prompt = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
      let seen = 0;
      for await (const _ of client().client.predictStream('chat', { messages: user(prompt) }, { headers: { 'x-request-id': 'client-early-exit' } })) {
        if (++seen === 2) break;
      }
      expect(seen).to.equal(2);
      const line = await logLine('client-early-exit');
      expect(line.latency_ms).to.be.below(400);
    });
  });

  describe('retries', function () {
    it('429: retried maxRetries times, waiting Retry-After each time; RateLimitError carries it', async function () {
      const { client: c, sent } = client({ maxRetries: 2, retryDelayMs: 5_000 });
      const started = Date.now();
      const error = await rejection(c.predict('chat', { messages: user('x'), mock: { status: 429, retry_after: 0.2 } }));
      const elapsed = Date.now() - started;
      expect(error).to.be.instanceOf(RateLimitError);
      expect(error.status).to.equal(429);
      expect(error.retryAfterMs).to.equal(200);
      expect(sent).to.have.length(3);
      // Retry-After (200 ms) was used, not the 5 s backoff.
      expect(elapsed).to.be.within(400, 3_000);
    });

    it('a provider 5xx (502 from the gateway) is retried with backoff, then thrown as ServerError', async function () {
      const { client: c, sent } = client({ maxRetries: 2 });
      const error = await rejection(c.predict('completions', { prompt: 'x', mock: { status: 503 } }));
      expect(error).to.be.instanceOf(ServerError);
      expect(error.status).to.equal(502);
      expect(error.message).to.match(/mock failed \(503\)/);
      expect(sent).to.have.length(3);
    });

    it('a Retry-After beyond maxRetryAfterMs is not waited for', async function () {
      const { client: c, sent } = client({ maxRetries: 3, maxRetryAfterMs: 1_000 });
      const started = Date.now();
      const error = await rejection(c.predict('chat', { messages: user('x'), mock: { status: 429, retry_after: 30 } }));
      expect(error).to.be.instanceOf(RateLimitError);
      expect(error.retryAfterMs).to.equal(30_000);
      expect(sent).to.have.length(1);
      expect(Date.now() - started).to.be.below(1_000);
    });

    it('a connection failure is retried, then thrown as ConnectionError', async function () {
      const recorder = recordingFetch();
      const closed = createClient(`http://127.0.0.1:${await freePort()}`, { maxRetries: 2, retryDelayMs: 10, fetch: recorder.fetch });
      const error = await rejection(closed.listEndpoints());
      expect(error).to.be.instanceOf(ConnectionError);
      expect(error.status).to.equal(undefined);
      expect(recorder.sent).to.have.length(3);
    });
  });

  describe('timeouts and aborts', function () {
    it('timeoutMs bounds each attempt: TimeoutError, and a retry gets its own timeout', async function () {
      const { client: c, sent } = client({ timeoutMs: 150, maxRetries: 1 });
      const started = Date.now();
      const error = await rejection(c.predict('chat', { messages: user('slow'), mock: { delay_ms: 5_000 } }));
      expect(error).to.be.instanceOf(TimeoutError);
      expect(error.message).to.match(/within 150 ms/);
      expect(sent).to.have.length(2);
      expect(Date.now() - started).to.be.within(300, 2_000);
    });

    it('a stream silent for timeoutMs ends with TimeoutError', async function () {
      const { client: c } = client({ timeoutMs: 300 });
      const received: PredictStreamChunk[] = [];
      const error = await rejection(
        (async () => {
          for await (const chunk of c.predictStream('chat', { messages: user('stall'), mock: { stall_after_chunks: 2, stall_ms: 10_000 } })) received.push(chunk);
        })(),
      );
      expect(error).to.be.instanceOf(TimeoutError);
      expect(received.length).to.be.greaterThan(1);
    });

    it('a slow consumer is not a timeout: the timer runs only while waiting on the gateway', async function () {
      const { client: c } = client({ timeoutMs: 200 });
      const chunks: PredictStreamChunk[] = [];
      for await (const chunk of c.predictStream('chat', { messages: user('take your time') })) {
        chunks.push(chunk);
        if (chunks.length === 2) await new Promise((r) => setTimeout(r, 400));
      }
      expect(chatText(chunks as ChatChunk[])).to.equal(ANSWER_TO('take your time'));
    });

    it('aborting during a request throws AbortedError at once, with the reason as cause', async function () {
      const { client: c, sent } = client({ maxRetries: 2 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('user left')), 100);
      const started = Date.now();
      const error = await rejection(c.predict('chat', { messages: user('slow'), mock: { delay_ms: 5_000 } }, { signal: controller.signal }));
      expect(error).to.be.instanceOf(AbortedError);
      expect(error.cause.message).to.equal('user left');
      expect(Date.now() - started).to.be.below(1_000);
      expect(sent).to.have.length(1);
    });

    it('aborting during a stream throws AbortedError from the iterator', async function () {
      const { client: c } = client();
      const controller = new AbortController();
      let seen = 0;
      const error = await rejection(
        (async () => {
          for await (const _ of c.predictStream('chat', { messages: user('a b c d e f g h') }, { signal: controller.signal })) {
            if (++seen === 2) controller.abort();
          }
        })(),
      );
      expect(error).to.be.instanceOf(AbortedError);
      expect(seen).to.equal(2);
    });

    it('aborting during a backoff wait throws AbortedError at once, without another attempt', async function () {
      const { client: c, sent } = client({ maxRetries: 3 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const started = Date.now();
      const error = await rejection(c.predict('chat', { messages: user('x'), mock: { status: 429, retry_after: 20 } }, { signal: controller.signal }));
      expect(error).to.be.instanceOf(AbortedError);
      expect(sent).to.have.length(1);
      expect(Date.now() - started).to.be.below(2_000);
    });

    it('an already aborted signal fails at once', async function () {
      const error = await rejection(client().client.getEndpoint('chat', { signal: AbortSignal.abort() }));
      expect(error).to.be.instanceOf(AbortedError);
    });
  });
});

describe('TypeScript client: retries that succeed', function () {
  // The mock fails every request it is told to, so a server that fails twice and then answers
  // is a tiny fake here.
  let server: Server;
  let url: string;
  let script: ((res: ServerResponse) => void)[] = [];
  let arrivals: number[] = [];

  before(async function () {
    server = createServer((req, res) => {
      arrivals.push(Date.now());
      req.resume();
      req.on('end', () => (script.shift() ?? ((r) => r.writeHead(500).end()))(res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(function () {
    arrivals = [];
    script = [];
  });

  after(async function () {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const answer = (res: ServerResponse) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ endpoints: [] }));
  const failing = (status: number, headers: Record<string, string>) => (res: ServerResponse) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: { message: `busy (${status})`, type: 'x', code: 'busy', param: null } }));

  it('503 then 429 with Retry-After (seconds, then an HTTP date), then an answer', async function () {
    const soon = new Date(Date.now() + 2_500).toUTCString();
    script = [failing(503, { 'retry-after': '0.3' }), failing(429, { 'retry-after': soon }), answer];
    const endpoints = await createClient(url, { maxRetries: 2, retryDelayMs: 10 }).listEndpoints();
    expect(endpoints).to.deep.equal([]);
    expect(arrivals).to.have.length(3);
    expect(arrivals[1]! - arrivals[0]!).to.be.at.least(280);
    // An HTTP date has one-second precision: at least 1.5 s were left when it arrived.
    expect(arrivals[2]! - arrivals[1]!).to.be.at.least(1_000);
  });

  it('504 without Retry-After: exponential backoff, then an answer', async function () {
    script = [failing(504, {}), failing(504, {}), answer];
    await createClient(url, { maxRetries: 2, retryDelayMs: 100 }).listEndpoints();
    expect(arrivals).to.have.length(3);
    // Equal jitter: the first wait is 50-100 ms, the second 100-200 ms.
    expect(arrivals[1]! - arrivals[0]!).to.be.at.least(45);
    expect(arrivals[2]! - arrivals[1]!).to.be.at.least(95);
  });

  it('other 4xx are not retried', async function () {
    script = [failing(409, {}), answer];
    const error = await rejection(createClient(url, { maxRetries: 2, retryDelayMs: 10 }).listEndpoints());
    expect(error).to.be.instanceOf(GatehouseError);
    expect(error.status).to.equal(409);
    expect(error.message).to.equal('busy (409)');
    expect(arrivals).to.have.length(1);
  });
});
