// The shared provider conformance suite, against answers in Together's wire format
// (https://docs.together.ai/reference/chat-completions-1): finish_reason "eos", usage on the last chunk.
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

const MODEL = 'meta-llama/Llama-3.3-70B-Instruct-Turbo';
const envelope = { id: '8f0a1b2c3d4e5f60-SJC', created: 1727000000, model: MODEL };
const usage = { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 };
const piece = (object: string, text: string, finish: string | null, extra: object = {}) => ({
  ...envelope,
  object,
  choices: [{ index: 0, text, logprobs: null, finish_reason: finish, delta: { token_id: 1, role: 'assistant', content: text } }],
  usage: null,
  ...extra,
});
const stream = (object: string): Reply => ({ body: sseBody([piece(object, 'Hello ', null), piece(object, 'from the fixture.', 'eos', { usage }), '[DONE]']) });

const ANSWERS: Record<Scenario, [string, Reply]> = {
  chat: ['chat/completions', { body: { ...envelope, object: 'chat.completion', choices: [{ index: 0, finish_reason: 'eos', logprobs: null, message: { role: 'assistant', content: CONFORMANCE_TEXT } }], usage } }],
  chatStream: ['chat/completions', stream('chat.completion.chunk')],
  completions: ['completions', { body: { ...envelope, object: 'text_completion', choices: [{ index: 0, text: CONFORMANCE_TEXT, finish_reason: 'eos', logprobs: null }], usage } }],
  completionsStream: ['completions', stream('completion.chunk')],
  embeddings: ['embeddings', { body: { object: 'list', data: [{ object: 'embedding', embedding: [0.1, 0.2], index: 0 }, { object: 'embedding', embedding: [0.3, 0.4], index: 1 }], model: 'togethercomputer/m2-bert-80M-8k-retrieval' } }],
  badRequest: ['chat/completions', { status: 400, body: { error: { message: `${CONFORMANCE_ERROR}: messages must not be empty`, type: 'invalid_request_error', param: null, code: null } } }],
  serverError: ['chat/completions', { status: 500, body: { error: { message: 'Internal server error', type: 'server_error' } } }],
  hang: ['chat/completions', { body: {}, delay: 10_000 }],
};

runProviderConformance({
  provider,
  options: { togetherai_api_key: 'tgp-conformance' },
  model: MODEL,
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    const [path, reply] = ANSWERS[scenario];
    answer(agent, 'https://api.together.xyz', `/v1/${path}`, reply);
  },
});
