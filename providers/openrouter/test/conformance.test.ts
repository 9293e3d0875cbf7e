// The shared provider conformance suite; OpenRouter answers in OpenAI's wire format
// (https://openrouter.ai/docs/api-reference/overview) and has no embeddings endpoint.
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, answer, runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import { CONFORMANCE_OPERATIONS, conformanceAnswer } from '@gatehousejs/provider-openai-compatible/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';

runProviderConformance({
  provider,
  options: { openrouter_api_key: 'sk-or-conformance' },
  model: 'openai/gpt-4o-mini',
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    answer(agent, 'https://openrouter.ai', `/api/v1/${CONFORMANCE_OPERATIONS[scenario]}`, conformanceAnswer(scenario, 'openai/gpt-4o-mini', CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});
