// Databricks' side of the tests: fixtures of its wire format, the workspace and endpoint, and an
// instance on a test's agent. The mocked upstream itself (agents, recording interceptors, bodies
// replayed in pieces) is core's test kit.
import type { Dispatcher, MockAgent } from 'undici';
import { answer, createProviderInstance, fixtureFiles, type Captured, type Reply } from '@gatehousejs/core/testing';
import type { ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';

export const ORIGIN = 'https://dbc-1a2b3c4d-5e6f.cloud.databricks.com';
export const TOKEN = 'dapiTESTtokenNotARealSecret0123456789abcdef';
export const MODEL = 'databricks-meta-llama-3-3-70b-instruct';
/** The invocations path of MODEL. */
export const PATH = `/serving-endpoints/${MODEL}/invocations`;
export const OPTIONS = Object.freeze({ databricks_workspace_url: ORIGIN, databricks_api_token: TOKEN });

/** `.jsonc` fixtures open with `//` lines naming the doc page they follow; `.sse` ones with `:` lines. */
export const { fixture, fixtureJson } = fixtureFiles(new URL('../../test/fixtures/', import.meta.url));

/** Answer one POST to `path` (a RegExp matches several) and record what was sent. */
export const intercept = (agent: MockAgent, path: string | RegExp, reply: Reply, origin = ORIGIN): Captured => answer(agent, origin, path, reply);

export function instance(dispatcher: Dispatcher, options: Record<string, unknown> = {}, model = MODEL, providerName = 'databricks'): Promise<ProviderInstance> {
  return createProviderInstance(provider, { ...OPTIONS, ...options }, { dispatcher, model, providerName });
}
