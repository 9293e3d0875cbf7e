// The shared provider conformance suite; vLLM answers in OpenAI's wire format
// (https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html).
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
  options: { vllm_api_base: 'http://localhost:8000/v1' },
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    answer(agent, 'http://localhost:8000', `/v1/${PATHS[scenario]}`, conformanceAnswer(scenario, 'meta-llama/Llama-3.1-8B-Instruct', CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});
