// Cohere's side of the tests: fixtures of its v2 wire format, its addresses, and an instance on a
// test's agent. The mocked upstream itself (agents, recording interceptors, bodies replayed in
// pieces) is core's test kit.
import type { Dispatcher, MockAgent } from 'undici';
import { answer, createProviderInstance, fixtureFiles, type Captured, type Reply } from '@gatehousejs/core/testing';
import type { ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';

export const BASE = 'https://api.cohere.com';
export const API_KEY = 'co-TEST-KEY-not-a-real-secret-0123456789abcdef';
export const MODEL = 'command-a-03-2025';
export const EMBED_MODEL = 'embed-v4.0';
export const DEFAULT_OPTIONS = Object.freeze({ cohere_api_key: API_KEY });
export const CHAT_PATH = '/v2/chat';
export const EMBED_PATH = '/v2/embed';

/** `.jsonc` fixtures open with `//` lines naming the doc page they follow; `.sse` ones with `:` lines. */
export const { fixture, fixtureJson } = fixtureFiles(new URL('../../test/fixtures/', import.meta.url));

/** Answer POSTs to `path` (`times` of them: n emulation) and record what the provider sent. */
export const intercept = (agent: MockAgent, path: string, reply: Reply, origin = BASE): Captured => answer(agent, origin, path, reply);

export const interceptChat = (agent: MockAgent, reply: Reply, origin = BASE): Captured => intercept(agent, CHAT_PATH, reply, origin);

/** Reply with a recorded SSE stream. */
export const interceptStream = (agent: MockAgent, sse: string, origin = BASE): Captured => interceptChat(agent, { body: sse }, origin);

export function instance(agent: Dispatcher, options: Record<string, unknown> = DEFAULT_OPTIONS, model = MODEL, providerName = 'cohere'): Promise<ProviderInstance> {
  return createProviderInstance(provider, { ...options }, { dispatcher: agent, model, providerName });
}
