// The shared provider conformance suite; Fireworks answers in OpenAI's wire format
// (https://docs.fireworks.ai/tools-sdks/openai-compatibility).
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, answer, runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import { CONFORMANCE_OPERATIONS, conformanceAnswer } from '@gatehousejs/provider-openai-compatible/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';

const MODEL = 'accounts/fireworks/models/llama-v3p1-8b-instruct';

runProviderConformance({
  provider,
  options: { fireworks_api_key: 'fw-conformance' },
  model: MODEL,
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    answer(agent, 'https://api.fireworks.ai', `/inference/v1/${CONFORMANCE_OPERATIONS[scenario]}`, conformanceAnswer(scenario, MODEL, CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});
