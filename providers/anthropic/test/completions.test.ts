// Completions (llm/v1/completions) served through the Messages API: the prompt becomes one
// user turn; answers and streams come back in OpenAI's text_completion format.
// Wire formats: https://docs.anthropic.com/en/api/messages, https://docs.anthropic.com/en/api/messages-streaming
import { expect } from 'chai';
import type { CompletionsRequest } from '@gatehousejs/core';
import { callContext, collect, providerPerTest, rejection } from '@gatehousejs/core/testing';
import { MODEL, fixture, instance, interceptMessages, interceptStream } from './helpers.js';

describe('anthropic: completions', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance, { chunkSize: 11, intervalMs: 0 });

  it('sends the prompt as one user message and answers a text_completion', async () => {
    const captured = interceptMessages(mock.agent, { body: fixture('message-text.jsonc') });
    const res = await mock.provider.completions!({ model: MODEL, prompt: 'What is MLflow?', temperature: 0.3, max_tokens: 100, stop: ['\n\n'] }, callContext());
    expect(captured.body).to.deep.equal({
      model: MODEL,
      messages: [{ role: 'user', content: 'What is MLflow?' }],
      temperature: 0.15,
      max_tokens: 100,
      stop_sequences: ['\n\n'],
    });
    expect({ ...res, created: 0 }).to.deep.equal({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      object: 'text_completion',
      created: 0,
      model: 'claude-3-7-sonnet-20250219',
      choices: [{ index: 0, text: 'Hi! My name is Claude.', finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 2095, completion_tokens: 503, total_tokens: 2598, prompt_tokens_details: { cached_tokens: 0 } },
    });
  });

  it('accepts a one-element prompt array and fills in the default max_tokens', async () => {
    const captured = interceptMessages(mock.agent, { body: fixture('message-max-tokens.jsonc') });
    const res = await mock.provider.completions!({ model: MODEL, prompt: ['Tell me a story.'] }, callContext());
    expect(captured.body).to.deep.equal({ model: MODEL, messages: [{ role: 'user', content: 'Tell me a story.' }], max_tokens: 4096 });
    expect(res.choices[0]!.finish_reason).to.equal('length');
  });

  it('rejects what a single Messages call cannot answer, naming the field', async () => {
    const cases: Array<[Partial<CompletionsRequest>, string]> = [
      [{ prompt: ['a', 'b'] }, 'prompt'],
      [{ prompt: [] }, 'prompt'],
      [{ prompt: [1, 2, 3] as unknown as string[] }, 'prompt'],
      [{ echo: true }, 'echo'],
      [{ suffix: 'end' }, 'suffix'],
      [{ best_of: 3 }, 'best_of'],
      [{ n: 2 }, 'n'],
      [{ logprobs: 5 }, 'logprobs'],
    ];
    for (const [extra, param] of cases) {
      const error = await rejection(mock.provider.completions!({ model: MODEL, prompt: 'Hi', ...extra } as CompletionsRequest, callContext()));
      expect(error.status, param).to.equal(400);
      expect(error.param).to.equal(param);
      expect(error.message).to.contain(param);
    }
  });

  it('streams text_completion chunks, a finish chunk, then usage', async () => {
    const captured = interceptStream(mock.agent, fixture('stream-text.sse'));
    const chunks = await collect(mock.provider.completionsStream!({ model: MODEL, prompt: 'Hi', stream: true, stream_options: { include_usage: true } }, callContext()));
    expect(captured.body).to.deep.equal({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4096, stream: true });
    for (const chunk of chunks) {
      expect(chunk.object).to.equal('text_completion');
      expect(chunk.id).to.equal('msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY');
    }
    expect(chunks.map(({ choices, usage }) => (usage === undefined ? { choices } : { choices, usage }))).to.deep.equal([
      { choices: [{ index: 0, text: 'Hello', finish_reason: null, logprobs: null }] },
      { choices: [{ index: 0, text: '! Grüße aus ', finish_reason: null, logprobs: null }] },
      { choices: [{ index: 0, text: '東京 ☀️', finish_reason: null, logprobs: null }] },
      { choices: [{ index: 0, text: '', finish_reason: 'stop', logprobs: null }] },
      { choices: [], usage: { prompt_tokens: 35, completion_tokens: 15, total_tokens: 50, prompt_tokens_details: { cached_tokens: 10 } } },
    ]);
  });

  it('fails a completions stream cut short, after the text that arrived', async () => {
    interceptStream(mock.agent, fixture('stream-truncated.sse'));
    const stream = await mock.provider.completionsStream!({ model: MODEL, prompt: 'Hi', stream: true }, callContext());
    const texts: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const chunk of stream) texts.push(chunk.choices[0]?.text ?? '');
      })(),
    );
    expect(texts.join('')).to.equal('Half an ans');
    expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });
});
