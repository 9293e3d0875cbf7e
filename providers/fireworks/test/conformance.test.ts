// The shared provider conformance suite; Fireworks answers in OpenAI's wire format
// (https://docs.fireworks.ai/tools-sdks/openai-compatibility).
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { answer, conformanceAnswer } from './helpers.js';

const PATHS: Record<Scenario, string> = {
  chat: 'chat/completions',
  chatStream: 'chat/completions',
  completions: 'completions',
  completionsStream: 'completions',
  embeddings: 'embeddings',
  badRequest: 'chat/completions',
  serverError: 'chat/completions',
  hang: 'chat/completions',
};
const MODEL = 'accounts/fireworks/models/llama-v3p1-8b-instruct';

runProviderConformance({
  provider,
  options: { fireworks_api_key: 'fw-conformance' },
  model: MODEL,
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    answer(agent, 'https://api.fireworks.ai', `/inference/v1/${PATHS[scenario]}`, conformanceAnswer(scenario, MODEL, CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});
