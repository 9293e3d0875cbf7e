// PaLM's side of the tests: fixtures of its wire format, its addresses, and an instance on a
// test's agent. The mocked upstream itself (agents, recording interceptors) is core's test kit.
import type { Dispatcher, MockAgent } from 'undici';
import { answer, createProviderInstance, fixtureFiles, type Captured, type Reply } from '@gatehousejs/core/testing';
import type { ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';

export const ORIGIN = 'https://generativelanguage.googleapis.com';
export const API_KEY = 'AIzaSy-TEST-KEY-not-a-real-secret-0123456789';
export const CHAT_MODEL = 'chat-bison-001';
export const TEXT_MODEL = 'text-bison-001';
export const EMBED_MODEL = 'embedding-gecko-001';
export const DEFAULT_OPTIONS = Object.freeze({ palm_api_key: API_KEY });

export const path = (model: string, method: string): string => `/v1beta2/models/${model}:${method}`;

/** `.jsonc` fixtures open with `//` lines naming the doc page they follow. */
export const { fixture, fixtureJson } = fixtureFiles(new URL('../../test/fixtures/', import.meta.url));

/** Answer one POST to `urlPath` and record what the provider sent. */
export const intercept = (agent: MockAgent, urlPath: string, reply: Reply, origin = ORIGIN): Captured => answer(agent, origin, urlPath, reply);

export function instance(agent: Dispatcher, model = CHAT_MODEL, options: Record<string, unknown> = DEFAULT_OPTIONS, providerName = 'palm'): Promise<ProviderInstance> {
  return createProviderInstance(provider, { ...options }, { dispatcher: agent, model, providerName });
}
