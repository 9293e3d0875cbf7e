// The shared provider conformance suite; Groq answers chat in OpenAI's wire format
// (https://console.groq.com/docs/openai) and has no completions or embeddings endpoint.
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, answer, runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import { conformanceAnswer } from '@gatehousejs/provider-openai-compatible/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';

runProviderConformance({
  provider,
  options: { groq_api_key: 'gsk-conformance' },
  model: 'llama-3.1-8b-instant',
  supports: { chat: true, chatStream: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    answer(agent, 'https://api.groq.com', '/openai/v1/chat/completions', conformanceAnswer(scenario, 'llama-3.1-8b-instant', CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});
