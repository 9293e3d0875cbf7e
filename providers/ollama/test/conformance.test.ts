// The shared provider conformance suite; Ollama answers in OpenAI's wire format
// (https://docs.ollama.com/api/openai-compatibility).
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, answer, runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import { CONFORMANCE_OPERATIONS, conformanceAnswer } from '@gatehousejs/provider-openai-compatible/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';

runProviderConformance({
  provider,
  options: {},
  model: 'llama3.2',
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    answer(agent, 'http://localhost:11434', `/v1/${CONFORMANCE_OPERATIONS[scenario]}`, conformanceAnswer(scenario, 'llama3.2', CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});
