// The shared provider conformance suite; OpenRouter answers in OpenAI's wire format
// (https://openrouter.ai/docs/api-reference/overview) and has no embeddings endpoint.
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { answer, conformanceAnswer } from './helpers.js';

const COMPLETIONS: readonly Scenario[] = ['completions', 'completionsStream'];

runProviderConformance({
  provider,
  options: { openrouter_api_key: 'sk-or-conformance' },
  model: 'openai/gpt-4o-mini',
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    const path = COMPLETIONS.includes(scenario) ? '/api/v1/completions' : '/api/v1/chat/completions';
    answer(agent, 'https://openrouter.ai', path, conformanceAnswer(scenario, 'openai/gpt-4o-mini', CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});
