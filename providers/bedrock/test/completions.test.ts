// Completions through Converse (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html):
// the prompt is one user message; the answer is a text_completion.
import { expect } from 'chai';
import type { CompletionsRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, providerPerTest, rejection } from '@gatehousejs/core/testing';
import { MODEL, fixture, instance, interceptConverse } from './helpers.js';

const request = (extra: Partial<CompletionsRequest> = {}): CompletionsRequest => ({ model: MODEL, prompt: 'Once upon a time', ...extra });

describe('bedrock: completions', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  it('sends the prompt as one user message with the translated parameters', async () => {
    const sent = interceptConverse(mock.agent, { body: fixture('converse-max-tokens.jsonc') });
    const res = await mock.provider.completions!(request({ max_tokens: 10, temperature: 0.5, stop: ['\n'], top_k: 5 }), callContext());
    expect(sent.body).to.deep.equal({
      messages: [{ role: 'user', content: [{ text: 'Once upon a time' }] }],
      inferenceConfig: { maxTokens: 10, temperature: 0.25, stopSequences: ['\n'] },
      additionalModelRequestFields: { top_k: 5 },
    });
    expect(res.id).to.match(/^cmpl-/);
    expect({ ...res, id: '', created: 0 }).to.deep.equal({
      id: '',
      object: 'text_completion',
      created: 0,
      model: MODEL,
      choices: [{ index: 0, text: 'Once upon a time, in a land far', finish_reason: 'length', logprobs: null }],
      usage: { prompt_tokens: 9, completion_tokens: 10, total_tokens: 19, prompt_tokens_details: { cached_tokens: 0 } },
    });
  });

  it('accepts a one-element prompt list and refuses several prompts, echo, suffix and best_of', async () => {
    const sent = interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
    await mock.provider.completions!(request({ prompt: ['Only one'] }), callContext());
    expect(sent.body.messages).to.deep.equal([{ role: 'user', content: [{ text: 'Only one' }] }]);
    const many = await rejection(mock.provider.completions!(request({ prompt: ['a', 'b'] }), callContext()));
    expect(many.status).to.equal(400);
    expect(many.message).to.contain('one prompt per request');
    for (const extra of [{ echo: true }, { suffix: 'x' }, { best_of: 2 }, { n: 3 }]) {
      const error = await rejection(mock.provider.completions!(request(extra), callContext()));
      expect(error.status, JSON.stringify(extra)).to.equal(400);
    }
  });
});
