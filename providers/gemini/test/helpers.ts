// The Gemini API's side of the tests: fixtures of its wire format, the paths of its methods, and
// an instance on a test's agent. The mocked upstream itself (agents, recording interceptors,
// bodies replayed in pieces) is core's test kit.
import type { Dispatcher, MockAgent } from 'undici';
import { answer, createProviderInstance, fixtureFiles, type Captured, type Reply } from '@gatehousejs/core/testing';
import type { ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';

export const ORIGIN = 'https://generativelanguage.googleapis.com';
export const API_KEY = 'AIzaSyD-TEST-KEY-not-a-real-secret-0123456';
export const MODEL = 'gemini-2.0-flash';
export const DEFAULT_OPTIONS = Object.freeze({ gemini_api_key: API_KEY });

/** The paths of the four methods for MODEL under the default base. */
export const PATHS = Object.freeze({
  generate: `/v1beta/models/${MODEL}:generateContent`,
  stream: `/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`,
  embed: `/v1beta/models/${MODEL}:embedContent`,
  batchEmbed: `/v1beta/models/${MODEL}:batchEmbedContents`,
});

/** The content type Google answers JSON with. */
export const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json; charset=UTF-8' });

/** `.jsonc` fixtures open with `//` lines naming the doc page they follow; `.sse` ones with `:` lines. */
export const { fixture, fixtureJson } = fixtureFiles(new URL('../../test/fixtures/', import.meta.url));

/** Answer one POST to `path` (query included) and record what the provider sent. */
export const intercept = (agent: MockAgent, path: string, reply: Reply, origin = ORIGIN): Captured => answer(agent, origin, path, reply);

/** Answer generateContent with a fixture (or an error status with one). */
export function interceptGenerate(agent: MockAgent, name: string, status = 200, headers?: Record<string, string>): Captured {
  return intercept(agent, PATHS.generate, { status, body: fixture(name), ...(headers ? { headers } : {}) });
}

/** Answer streamGenerateContent?alt=sse with a recorded stream. */
export const interceptStream = (agent: MockAgent, sse: string): Captured => intercept(agent, PATHS.stream, { body: sse });

export function instance(agent: Dispatcher, options: Record<string, unknown> = DEFAULT_OPTIONS, model = MODEL, providerName = 'gemini'): Promise<ProviderInstance> {
  return createProviderInstance(provider, { ...options }, { dispatcher: agent, model, providerName });
}
