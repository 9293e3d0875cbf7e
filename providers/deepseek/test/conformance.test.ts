// The shared provider conformance suite; DeepSeek answers in OpenAI's wire format
// (https://api-docs.deepseek.com/api/create-chat-completion, FIM: https://api-docs.deepseek.com/api/create-completion).
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, answer, runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import { conformanceAnswer } from '@gatehousejs/provider-openai-compatible/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';

const FIM: readonly Scenario[] = ['completions', 'completionsStream'];

runProviderConformance({
  provider,
  options: { deepseek_api_key: 'sk-conformance' },
  model: 'deepseek-chat',
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    const path = FIM.includes(scenario) ? '/beta/completions' : '/chat/completions';
    answer(agent, 'https://api.deepseek.com', path, conformanceAnswer(scenario, 'deepseek-chat', CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});
