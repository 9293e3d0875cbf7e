// The shared provider conformance suite; xAI answers in OpenAI's wire format
// (https://docs.x.ai/docs/api-reference) and offers no completions endpoint here.
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { answer, conformanceAnswer } from './helpers.js';

runProviderConformance({
  provider,
  options: { xai_api_key: 'xai-conformance' },
  model: 'grok-3-mini',
  supports: { chat: true, chatStream: true, embeddings: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    const path = scenario === 'embeddings' ? '/v1/embeddings' : '/v1/chat/completions';
    answer(agent, 'https://api.x.ai', path, conformanceAnswer(scenario, 'grok-3-mini', CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});
