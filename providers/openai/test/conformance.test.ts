// The shared provider conformance suite for the three API types of the openai provider.
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, answer, runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { CONFORMANCE_OPERATIONS, conformanceAnswer } from '@gatehousejs/provider-openai-compatible/testing';

const ALL = { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true };

runProviderConformance({
  name: 'openai (OpenAI API)',
  provider,
  options: { openai_api_key: 'sk-conformance' },
  model: 'gpt-4o-mini',
  supports: ALL,
  arrange(scenario: Scenario, agent: MockAgent) {
    answer(agent, 'https://api.openai.com', `/v1/${CONFORMANCE_OPERATIONS[scenario]}`, conformanceAnswer(scenario, 'gpt-4o-mini', CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});

const AZURE_OPTIONS = {
  openai_api_key: 'azure-conformance-key',
  openai_api_base: 'https://conformance.openai.azure.com/',
  openai_api_version: '2024-10-21',
  openai_deployment_name: 'conf-deploy',
};
const azureArrange = (scenario: Scenario, agent: MockAgent) => {
  const path = `/openai/deployments/conf-deploy/${CONFORMANCE_OPERATIONS[scenario]}?api-version=2024-10-21`;
  answer(agent, 'https://conformance.openai.azure.com', path, conformanceAnswer(scenario, 'gpt-4o', CONFORMANCE_TEXT, CONFORMANCE_ERROR));
};

runProviderConformance({
  name: 'openai (provider azure)',
  provider,
  providerName: 'azure',
  options: AZURE_OPTIONS,
  model: 'gpt-4o',
  supports: ALL,
  arrange: azureArrange,
});

runProviderConformance({
  name: 'openai (openai_api_type azuread)',
  provider,
  options: { ...AZURE_OPTIONS, openai_api_type: 'azuread' },
  model: 'gpt-4o',
  supports: ALL,
  arrange: azureArrange,
});
