// The shared provider conformance suite; xAI answers in OpenAI's wire format
// (https://docs.x.ai/docs/api-reference) and offers no completions endpoint here.
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, answer, runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import { CONFORMANCE_OPERATIONS, conformanceAnswer } from '@gatehousejs/provider-openai-compatible/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';

runProviderConformance({
  provider,
  options: { xai_api_key: 'xai-conformance' },
  model: 'grok-3-mini',
  supports: { chat: true, chatStream: true, embeddings: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    answer(agent, 'https://api.x.ai', `/v1/${CONFORMANCE_OPERATIONS[scenario]}`, conformanceAnswer(scenario, 'grok-3-mini', CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});
