// Completions streams through TGI's POST /generate_stream, with the recorded streams replayed
// in small pieces (events and UTF-8 characters split across reads).
import { expect } from 'chai';
import { agentPerTest, callContext, drain, rejection, replaying } from '@gatehousejs/core/testing';
import type { CompletionsChunk, CompletionsRequest } from '@gatehousejs/core';
import { MODEL, fixture, instance, intercept } from './helpers.js';

const request = (extra: Partial<CompletionsRequest> = {}): CompletionsRequest => ({
  model: MODEL,
  prompt: 'What is Deep Learning?',
  stream: true,
  stream_options: { include_usage: true },
  ...extra,
});
const text = (chunks: CompletionsChunk[]) => chunks.map((c) => c.choices[0]?.text ?? '').join('');
const finishes = (chunks: CompletionsChunk[]) => chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean);

describe('huggingface-tgi completions streams (/generate_stream)', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('posts to /generate_stream and turns token events into text_completion chunks, skipping special tokens', async () => {
    const sent = intercept(mock.agent, '/generate_stream', { body: fixture('generate-stream.sse') });
    const tgi = await instance(replaying(mock.agent, { chunkSize: 7, intervalMs: 1 }));
    const { items: chunks, error } = await drain(tgi.completionsStream!(request({ max_tokens: 50, temperature: 0.2 }), callContext()));

    expect(error).to.equal(undefined);
    expect(sent.requests[0]!.path).to.equal('/generate_stream');
    expect(sent.requests[0]!.body).to.deep.equal({
      inputs: 'What is Deep Learning?',
      parameters: { max_new_tokens: 50, temperature: 0.2, do_sample: true, details: true, return_full_text: false },
    });
    for (const chunk of chunks) {
      expect(chunk.object).to.equal('text_completion');
      expect(chunk.id).to.equal(chunks[0]!.id);
      expect(chunk.model).to.equal(MODEL);
    }
    expect(text(chunks)).to.equal('Deep learning is a subset of machine learning — ça marche.');
    expect(text(chunks)).to.not.contain('</s>');
    expect(chunks.length).to.be.greaterThan(10);
    expect(finishes(chunks)).to.deep.equal(['stop']);
    const last = chunks[chunks.length - 1]!;
    expect(last.choices).to.deep.equal([]);
    // StreamDetails: input_length 6, generated_tokens 12 (11 text tokens and </s>).
    expect(last.usage).to.deep.equal({ prompt_tokens: 6, completion_tokens: 12, total_tokens: 18 });
  });

  it('yields each piece as it arrives, not when the stream ends', async () => {
    intercept(mock.agent, '/generate_stream', { body: fixture('generate-stream.sse') });
    const tgi = await instance(replaying(mock.agent, { chunkSize: 64, intervalMs: 15 }));
    const started = Date.now();
    const times: number[] = [];
    for await (const chunk of await tgi.completionsStream!(request(), callContext())) {
      if (chunk.choices[0]?.text) times.push(Date.now() - started);
    }
    // About 30 pieces 15 ms apart: the first text must come long before the last.
    expect(times.length).to.be.greaterThan(5);
    expect(times[0]!).to.be.lessThan(times[times.length - 1]! / 2);
  });

  it('holds back text that may start a stop sequence and never sends the stop sequence', async () => {
    intercept(mock.agent, '/generate_stream', { body: fixture('generate-stream-stop.sse') });
    const tgi = await instance(replaying(mock.agent, { chunkSize: 11, intervalMs: 1 }));
    const { items: chunks } = await drain(tgi.completionsStream!(request({ stop: '\nQuestion:' }), callContext()));
    expect(text(chunks)).to.equal(' Paris. The Eiffel Tower is there.');
    expect(finishes(chunks)).to.deep.equal(['stop']);
    expect(chunks[chunks.length - 1]!.usage).to.deep.equal({ prompt_tokens: 4, completion_tokens: 11, total_tokens: 15 });
  });

  it('reports finish_reason "length"', async () => {
    intercept(mock.agent, '/generate_stream', { body: fixture('generate-stream-length.sse') });
    const tgi = await instance(mock.agent);
    const { items: chunks } = await drain(tgi.completionsStream!(request({ max_tokens: 3 }), callContext()));
    expect(text(chunks)).to.equal('Deep learning is');
    expect(finishes(chunks)).to.deep.equal(['length']);
  });

  it('sends no usage chunk when the caller did not ask for one', async () => {
    intercept(mock.agent, '/generate_stream', { body: fixture('generate-stream-length.sse') });
    const tgi = await instance(mock.agent);
    const { items: chunks } = await drain(tgi.completionsStream!(request({ stream_options: undefined }), callContext()));
    expect(chunks.every((c) => c.choices.length === 1 && c.usage === undefined)).to.equal(true);
  });

  it('sends the prompt first for echo', async () => {
    intercept(mock.agent, '/generate_stream', { body: fixture('generate-stream-length.sse') });
    const tgi = await instance(mock.agent);
    const { items: chunks } = await drain(tgi.completionsStream!(request({ echo: true }), callContext()));
    expect(text(chunks)).to.equal('What is Deep Learning?Deep learning is');
  });

  it('turns an error event mid-stream into a 502 that keeps TGI’s message, after the pieces already sent', async () => {
    intercept(mock.agent, '/generate_stream', { body: fixture('generate-stream-error.sse') });
    const tgi = await instance(replaying(mock.agent, { chunkSize: 32, intervalMs: 1 }));
    const { items: chunks, error } = await drain(tgi.completionsStream!(request(), callContext()));
    expect(text(chunks)).to.equal('Deep learning');
    expect((error as { status: number }).status).to.equal(502);
    expect((error as Error).message).to.contain('Hugging Face TGI').and.contain('CUDA out of memory');
  });

  it('fails with a 502 when the stream ends before its last event', async () => {
    intercept(mock.agent, '/generate_stream', { body: fixture('generate-stream-truncated.sse') });
    const tgi = await instance(mock.agent);
    const { items: chunks, error } = await drain(tgi.completionsStream!(request(), callContext()));
    expect(text(chunks)).to.equal('Deep learning is');
    expect((error as { code: string }).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(finishes(chunks)).to.deep.equal([]);
  });

  it('fails with a 502 on an event that is not JSON', async () => {
    intercept(mock.agent, '/generate_stream', { body: 'data:{"index":1,"token":{"text":"Hi","special":false}}\n\ndata:not json\n\n' });
    const tgi = await instance(mock.agent);
    const { error } = await drain(tgi.completionsStream!(request(), callContext()));
    expect((error as { code: string }).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect((error as Error).message).to.contain('Hugging Face TGI');
  });

  it('refuses n > 1 and several prompts with a 400 before calling TGI', async () => {
    const tgi = await instance(mock.agent);
    for (const extra of [{ n: 2 }, { prompt: ['a', 'b'] }]) {
      const error = await rejection(Promise.resolve(tgi.completionsStream!(request(extra), callContext())));
      expect(error.status).to.equal(400);
      expect(error.message).to.contain('huggingface-text-generation-inference');
    }
  });

  it('stops promptly when the call is aborted mid-stream', async () => {
    intercept(mock.agent, '/generate_stream', { body: fixture('generate-stream.sse') });
    const tgi = await instance(replaying(mock.agent, { chunkSize: 16, intervalMs: 20 }));
    const controller = new AbortController();
    let abortedAt = 0;
    const chunks: CompletionsChunk[] = [];
    const error = await rejection(
      (async () => {
        for await (const chunk of await tgi.completionsStream!(request(), callContext({ signal: controller.signal }))) {
          chunks.push(chunk);
          if (chunks.length === 2) {
            abortedAt = Date.now();
            controller.abort();
          }
        }
      })(),
    );
    expect(error.code).to.equal('GW_ERR_CLIENT_CLOSED');
    expect(chunks).to.have.length(2);
    // The rest of the recorded stream would take seconds to arrive.
    expect(Date.now() - abortedAt).to.be.lessThan(500);
  });
});
