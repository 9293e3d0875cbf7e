// Completions served through generateContent with the prompt as one user turn
// (https://ai.google.dev/api/generate-content), plain and streamed.
import { expect } from 'chai';
import type { CompletionsRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, collect, providerPerTest, rejection, replaying } from '@gatehousejs/core/testing';
import { MODEL, PATHS, fixture, instance, interceptGenerate, interceptStream } from './helpers.js';

describe('gemini: completions', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance, { chunkSize: 11, intervalMs: 0 });

  it('sends the prompt as one user turn with the generation parameters', async () => {
    const captured = interceptGenerate(mock.agent, 'generate-text.jsonc');
    const res = await mock.provider.completions!(
      { model: MODEL, prompt: ['Explain AI in a sentence.'], max_tokens: 64, temperature: 0.4, stop: ['\n\n'], echo: false, best_of: 1 },
      callContext(),
    );
    expect(captured.path).to.equal(PATHS.generate);
    expect(captured.body).to.deep.equal({
      contents: [{ role: 'user', parts: [{ text: 'Explain AI in a sentence.' }] }],
      generationConfig: { maxOutputTokens: 64, temperature: 0.4, stopSequences: ['\n\n'] },
    });
    expect({ ...res, created: 0 }).to.deep.equal({
      id: 'lAc3aYnGIPWtz7IP0uKJ0Qc',
      object: 'text_completion',
      created: 0,
      model: 'gemini-2.0-flash',
      choices: [{ index: 0, text: 'AI learns patterns from data to make predictions — schnell ☀️.', finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 8, completion_tokens: 12, total_tokens: 20, prompt_tokens_details: { cached_tokens: 0 } },
    });
  });

  it('answers one choice per candidate (n → candidateCount)', async () => {
    const captured = interceptGenerate(mock.agent, 'generate-candidates.jsonc');
    const res = await mock.provider.completions!({ model: MODEL, prompt: 'A colour?', n: 2 }, callContext());
    expect(captured.body.generationConfig).to.deep.equal({ candidateCount: 2 });
    expect(res.choices.map((c) => [c.index, c.text])).to.deep.equal([
      [0, 'Green.'],
      [1, 'Blue.'],
    ]);
  });

  it('maps MAX_TOKENS to length', async () => {
    interceptGenerate(mock.agent, 'generate-max-tokens.jsonc');
    const res = await mock.provider.completions!({ model: MODEL, prompt: 'Tell a story', max_tokens: 10 }, callContext());
    expect(res.choices[0]!.finish_reason).to.equal('length');
  });

  it('streams text_completion chunks, a finish chunk and the usage chunk', async () => {
    const captured = interceptStream(mock.agent, fixture('stream-text.sse'));
    const chunks = await collect(mock.provider.completionsStream!({ model: MODEL, prompt: 'Hi', stream: true, stream_options: { include_usage: true } }, callContext()));
    expect(captured.path).to.equal(PATHS.stream);
    expect(chunks.every((c) => c.object === 'text_completion' && c.id === 'uMs3acPXJJ2Wz7IPptqRuQo')).to.equal(true);
    expect(chunks.map(({ choices, usage }) => (usage === undefined ? { choices } : { choices, usage }))).to.deep.equal([
      { choices: [{ index: 0, text: 'Hello', finish_reason: null, logprobs: null }] },
      { choices: [{ index: 0, text: '! Grüße aus ', finish_reason: null, logprobs: null }] },
      { choices: [{ index: 0, text: '東京 ☀️', finish_reason: null, logprobs: null }] },
      { choices: [{ index: 0, text: '', finish_reason: 'stop', logprobs: null }] },
      { choices: [], usage: { prompt_tokens: 8, completion_tokens: 9, total_tokens: 17, prompt_tokens_details: { cached_tokens: 4 } } },
    ]);
  });

  for (const [name, extra, param] of [
    ['several prompts', { prompt: ['a', 'b'] }, 'prompt'],
    ['a token-array prompt', { prompt: [1, 2, 3] as unknown as string[] }, 'prompt'],
    ['echo', { echo: true }, 'echo'],
    ['suffix', { suffix: 'end' }, 'suffix'],
    ['best_of', { best_of: 3 }, 'best_of'],
    ['logprobs', { logprobs: 2 }, 'logprobs'],
  ] as const) {
    it(`rejects ${name} with a 400 naming the parameter`, async () => {
      const error = await rejection(mock.provider.completions!(Object.assign({ model: MODEL, prompt: 'Hi' }, extra) as CompletionsRequest, callContext()));
      expect(error.status).to.equal(400);
      expect(error.param).to.equal(param);
      expect(error.message).to.contain('provider gemini');
    });
  }
});
