// The shared provider conformance suite; vLLM answers in OpenAI's wire format
// (https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html).
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, answer, runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import { CONFORMANCE_OPERATIONS, conformanceAnswer } from '@gatehousejs/provider-openai-compatible/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';

runProviderConformance({
  provider,
  options: { vllm_api_base: 'http://localhost:8000/v1' },
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    answer(agent, 'http://localhost:8000', `/v1/${CONFORMANCE_OPERATIONS[scenario]}`, conformanceAnswer(scenario, 'meta-llama/Llama-3.1-8B-Instruct', CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});
