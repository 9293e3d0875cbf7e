// The shared provider conformance suite against Databricks' wire format: every scenario posts to
// the serving endpoint's invocations URL. Answers follow the Foundation Model API reference,
// https://docs.databricks.com/en/machine-learning/foundation-model-apis/api-reference.html, and the
// error format of https://docs.databricks.com/api/workspace ({error_code, message}).
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, runProviderConformance, sseBody as sse, type Reply, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { MODEL, OPTIONS, PATH, intercept } from './helpers.js';

const [A, B] = [CONFORMANCE_TEXT.slice(0, CONFORMANCE_TEXT.indexOf(' ') + 1), CONFORMANCE_TEXT.slice(CONFORMANCE_TEXT.indexOf(' ') + 1)];

function answer(scenario: Scenario): Reply {
  const envelope = { id: 'chatcmpl_conformance', created: 1732540000, model: 'meta-llama-3.3-70b-instruct-121024' };
  const usage = { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 };
  const delta = (d: object, finish: string | null = null) => ({ ...envelope, object: 'chat.completion.chunk', choices: [{ index: 0, delta: d, finish_reason: finish }], usage });
  const piece = (text: string, finish: string | null = null) => ({ ...envelope, object: 'text_completion', choices: [{ index: 0, text, logprobs: null, finish_reason: finish }] });
  switch (scenario) {
    case 'chat':
      return { body: JSON.stringify({ ...envelope, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: CONFORMANCE_TEXT }, finish_reason: 'stop' }], usage }) };
    case 'chatStream':
      return { body: sse([delta({ role: 'assistant', content: A }), delta({ content: B }), delta({}, 'stop'), '[DONE]']) };
    case 'completions':
      return { body: JSON.stringify({ ...envelope, object: 'text_completion', choices: [{ index: 0, text: CONFORMANCE_TEXT, logprobs: null, finish_reason: 'stop' }], usage }) };
    case 'completionsStream':
      return { body: sse([piece(A), piece(B), piece('', 'stop'), '[DONE]']) };
    case 'embeddings':
      return {
        body: JSON.stringify({
          object: 'list',
          model: 'bge-large-en-v1.5',
          data: [
            { index: 0, object: 'embedding', embedding: [0.1, -0.2] },
            { index: 1, object: 'embedding', embedding: [-0.3, 0.4] },
          ],
          usage: { prompt_tokens: 2, total_tokens: 2 },
        }),
      };
    case 'badRequest':
      return { status: 400, body: JSON.stringify({ error_code: 'BAD_REQUEST', message: `${CONFORMANCE_ERROR}: messages must alternate` }) };
    case 'serverError':
      return { status: 500, body: JSON.stringify({ error_code: 'INTERNAL_ERROR', message: 'Internal error' }) };
    case 'hang':
      return { body: '{}', delay: 10_000 };
  }
}

runProviderConformance({
  name: 'databricks',
  provider,
  options: { ...OPTIONS },
  model: MODEL,
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    intercept(agent, PATH, answer(scenario));
  },
});

runProviderConformance({
  name: 'databricks (alias databricks-model-serving)',
  provider,
  providerName: 'databricks-model-serving',
  options: { ...OPTIONS },
  model: MODEL,
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    intercept(agent, PATH, answer(scenario));
  },
});
