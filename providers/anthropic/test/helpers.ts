// Anthropic's side of the tests: fixtures of its wire format, the Messages API's address, and an
// instance on a test's agent. The mocked upstream itself (agents, recording interceptors, bodies
// replayed in pieces) is core's test kit.
import type { Dispatcher, MockAgent } from 'undici';
import { answer, createProviderInstance, fixtureFiles, type Captured, type Reply } from '@gatehousejs/core/testing';
import type { ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';

export const BASE = 'https://api.anthropic.com';
export const API_KEY = 'sk-ant-api03-TEST-KEY-not-a-real-secret-0123456789';
export const MODEL = 'claude-3-7-sonnet-20250219';
export const DEFAULT_OPTIONS = Object.freeze({ anthropic_api_key: API_KEY });

/** `.jsonc` fixtures open with `//` lines naming the doc page they follow; `.sse` ones with `:` lines. */
export const { fixture, fixtureJson } = fixtureFiles(new URL('../../test/fixtures/', import.meta.url));

/** Answer one POST /v1/messages and record what the provider sent. */
export function interceptMessages(agent: MockAgent, reply: Reply, origin = BASE, path = '/v1/messages'): Captured {
  return answer(agent, origin, path, reply);
}

/** Reply with a recorded SSE stream. */
export function interceptStream(agent: MockAgent, sse: string, origin = BASE): Captured {
  return interceptMessages(agent, { body: sse }, origin);
}

export function instance(agent: Dispatcher, options: Record<string, unknown> = DEFAULT_OPTIONS, providerName = 'anthropic'): Promise<ProviderInstance> {
  return createProviderInstance(provider, { ...options }, { dispatcher: agent, model: MODEL, providerName });
}
