// The shared provider conformance suite, once per chat API: the Messages API (default) and
// chat over /generate. Completions always use /generate and /generate_stream.
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { ORIGIN, intercept } from './helpers.js';
import { generateAnswer, messagesAnswer } from './fixtures/conformance.js';

const MODEL = 'mistralai/Mistral-7B-Instruct-v0.3';
const SUPPORTS = { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: false };

// The failure scenarios are asked of chat and of its stream alike.
const EITHER = /^\/generate(?:_stream)?$/;
const GENERATE_PATH: Record<Scenario, string | RegExp> = {
  chat: '/generate',
  chatStream: '/generate_stream',
  completions: '/generate',
  completionsStream: '/generate_stream',
  embeddings: '/generate',
  badRequest: EITHER,
  serverError: EITHER,
  hang: EITHER,
};

runProviderConformance({
  name: 'huggingface-text-generation-inference (Messages API)',
  provider,
  options: { hf_server_url: ORIGIN },
  model: MODEL,
  supports: SUPPORTS,
  arrange(scenario: Scenario, agent: MockAgent) {
    // badRequest, serverError and hang are asked of chat: the Messages API here.
    const path = scenario === 'completions' || scenario === 'completionsStream' ? GENERATE_PATH[scenario] : '/v1/chat/completions';
    intercept(agent, path, messagesAnswer(scenario, MODEL, CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});

runProviderConformance({
  name: 'huggingface-text-generation-inference (hf_chat_api: generate)',
  provider,
  options: { hf_server_url: ORIGIN, hf_chat_api: 'generate', hf_api_token: 'hf_conformance' },
  model: MODEL,
  supports: SUPPORTS,
  arrange(scenario: Scenario, agent: MockAgent) {
    intercept(agent, GENERATE_PATH[scenario], generateAnswer(scenario, CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});
