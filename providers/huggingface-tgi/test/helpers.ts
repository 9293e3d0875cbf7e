// TGI's side of the tests: fixtures of its wire format, the server's address, and an instance on a
// test's agent. The mocked upstream itself (agents, recording interceptors, bodies replayed in
// pieces) is core's test kit.
import type { Dispatcher, MockAgent } from 'undici';
import { answer, createProviderInstance, fixtureFiles, type Captured, type Reply } from '@gatehousejs/core/testing';
import type { ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';

export const ORIGIN = 'http://tgi.example.internal:8080';
export const TOKEN = 'hf_TEST_token_not_a_real_secret_0123456789';
export const MODEL = 'mistralai/Mistral-7B-Instruct-v0.3';

/** `.jsonc` fixtures open with `//` lines naming the doc page they follow; `.sse` ones with `:` lines. */
export const { fixture, fixtureJson } = fixtureFiles(new URL('../../test/fixtures/', import.meta.url));

/** Answer one POST to `path` (a RegExp matches several) and record what was sent. */
export const intercept = (agent: MockAgent, path: string | RegExp, reply: Reply, origin = ORIGIN): Captured => answer(agent, origin, path, reply);

export function instance(dispatcher: Dispatcher, options: Record<string, unknown> = {}, providerName = 'huggingface-text-generation-inference'): Promise<ProviderInstance> {
  return createProviderInstance(provider, { hf_server_url: ORIGIN, ...options }, { dispatcher, model: MODEL, providerName });
}
