// The shared provider conformance suite; Ollama answers in OpenAI's wire format
// (https://docs.ollama.com/api/openai-compatibility).
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

runProviderConformance({
  provider,
  options: {},
  model: 'llama3.2',
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    answer(agent, 'http://localhost:11434', `/v1/${PATHS[scenario]}`, conformanceAnswer(scenario, 'llama3.2', CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});
