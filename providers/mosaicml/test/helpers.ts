// MosaicML's side of the tests: fixtures of its wire format, its addresses, and an instance on a
// test's agent. The mocked upstream itself (agents, recording interceptors) is core's test kit.
import type { Dispatcher, MockAgent } from 'undici';
import { answer, createProviderInstance, fixtureFiles, type Captured, type Reply } from '@gatehousejs/core/testing';
import type { ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';

export const ORIGIN = 'https://models.hosted-on.mosaicml.hosting';
export const API_KEY = 'mosaicml-TEST-KEY-not-a-real-secret-0123456789';
export const CHAT_MODEL = 'llama2-70b-chat';
export const TEXT_MODEL = 'mpt-7b-instruct';
export const EMBED_MODEL = 'instructor-large';
export const DEFAULT_OPTIONS = Object.freeze({ mosaicml_api_key: API_KEY });

export const path = (model: string): string => `/${model}/v1/predict`;

/** `.jsonc` fixtures open with `//` lines naming the doc page they follow. */
export const { fixture, fixtureJson } = fixtureFiles(new URL('../../test/fixtures/', import.meta.url));

/** Answer one POST to `urlPath` and record what the provider sent. */
export const intercept = (agent: MockAgent, urlPath: string, reply: Reply, origin = ORIGIN): Captured => answer(agent, origin, urlPath, reply);

export function instance(agent: Dispatcher, model = CHAT_MODEL, options: Record<string, unknown> = DEFAULT_OPTIONS, providerName = 'mosaicml'): Promise<ProviderInstance> {
  return createProviderInstance(provider, { ...options }, { dispatcher: agent, model, providerName });
}
