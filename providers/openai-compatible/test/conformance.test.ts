// The shared provider conformance suite, against OpenAI-format fixtures of a local server.
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, answer, runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { CONFORMANCE_OPERATIONS, conformanceAnswer } from '../src/testing/fixtures/conformance.js';

const ORIGIN = 'http://localhost:11434';

runProviderConformance({
  name: 'openai-compatible (Ollama-style local server)',
  provider,
  options: { api_base: `${ORIGIN}/v1` },
  model: 'llama3.2',
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    answer(agent, ORIGIN, `/v1/${CONFORMANCE_OPERATIONS[scenario]}`, conformanceAnswer(scenario, 'llama3.2', CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});
