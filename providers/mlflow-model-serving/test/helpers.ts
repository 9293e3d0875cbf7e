// An MLflow scoring server's side of the tests: fixtures of its wire format, its address, and an
// instance on a test's agent. The mocked upstream itself (agents, recording interceptors) is
// core's test kit.
import type { Dispatcher, MockAgent } from 'undici';
import { answer, createProviderInstance, fixtureFiles, type Captured, type Reply } from '@gatehousejs/core/testing';
import type { ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';

export const ORIGIN = 'http://127.0.0.1:5000';
export const MODEL = 'my-registered-model/3';
export const INVOCATIONS = '/invocations';
export const ENDPOINT = 'my-endpoint';
export const DEFAULT_OPTIONS = Object.freeze({ model_server_url: ORIGIN });

/** `.jsonc` fixtures open with `//` lines naming the doc page they follow. */
export const { fixture, fixtureJson } = fixtureFiles(new URL('../../test/fixtures/', import.meta.url));

/** Answer one POST to `urlPath` and record what the provider sent. */
export const intercept = (agent: MockAgent, urlPath: string, reply: Reply, origin = ORIGIN): Captured => answer(agent, origin, urlPath, reply);

export function instance(agent: Dispatcher, model = MODEL, options: Record<string, unknown> = DEFAULT_OPTIONS, providerName = 'mlflow-model-serving'): Promise<ProviderInstance> {
  return createProviderInstance(provider, { ...options }, { dispatcher: agent, model, providerName, endpoint: ENDPOINT });
}
