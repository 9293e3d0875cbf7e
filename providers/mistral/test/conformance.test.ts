// The shared provider conformance suite, against answers in Mistral's wire format
// (https://docs.mistral.ai/api/): usage on the finishing stream chunk, completions through chat.
import {
  CONFORMANCE_ERROR,
  CONFORMANCE_TEXT,
  answer,
  runProviderConformance,
  sseBody,
  type Reply,
  type Scenario,
} from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';

const MODEL = 'mistral-small-latest';
const envelope = { id: 'cmpl-5a4f0c2e9b8d4e7f', created: 1727000000, model: MODEL };
const usage = { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 };
const delta = (d: object, finish: string | null = null, extra: object = {}) => ({ ...envelope, object: 'chat.completion.chunk', choices: [{ index: 0, delta: d, finish_reason: finish }], ...extra });

const chat: Reply = { body: { ...envelope, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: CONFORMANCE_TEXT, tool_calls: null }, finish_reason: 'stop' }], usage } };
const chatStream: Reply = { body: sseBody([delta({ role: 'assistant', content: '' }), delta({ content: 'Hello ' }), delta({ content: 'from the fixture.' }, 'stop', { usage }), '[DONE]']) };

const ANSWERS: Record<Scenario, [string, Reply]> = {
  chat: ['chat/completions', chat],
  chatStream: ['chat/completions', chatStream],
  completions: ['chat/completions', chat],
  completionsStream: ['chat/completions', chatStream],
  embeddings: ['embeddings', { body: { id: 'embd-conf', object: 'list', data: [{ object: 'embedding', embedding: [0.1, 0.2], index: 0 }, { object: 'embedding', embedding: [0.3, 0.4], index: 1 }], model: 'mistral-embed', usage: { prompt_tokens: 2, total_tokens: 2, completion_tokens: 0 } } }],
  badRequest: ['chat/completions', { status: 400, body: { object: 'error', message: `${CONFORMANCE_ERROR}: messages must not be empty`, type: 'invalid_request_error', param: null, code: null } }],
  serverError: ['chat/completions', { status: 500, body: { object: 'error', message: 'Internal server error', type: 'internal_server_error', param: null, code: '1000' } }],
  hang: ['chat/completions', { body: {}, delay: 10_000 }],
};

runProviderConformance({
  provider,
  options: { mistral_api_key: 'mst-conformance' },
  model: MODEL,
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    const [path, reply] = ANSWERS[scenario];
    answer(agent, 'https://api.mistral.ai', `/v1/${path}`, reply);
  },
});
