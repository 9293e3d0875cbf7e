// Test helpers: fixtures of MosaicML's wire format, a MockAgent per test and capture of the
// requests the provider sent.
import { readFileSync } from 'node:fs';
import { MockAgent, type Dispatcher } from 'undici';
import { expect } from 'chai';
import { createProviderInstance } from '@gatehousejs/core/testing';
import { isGatewayError, type GatewayError, type ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';

export const ORIGIN = 'https://models.hosted-on.mosaicml.hosting';
export const API_KEY = 'mosaicml-TEST-KEY-not-a-real-secret-0123456789';
export const CHAT_MODEL = 'llama2-70b-chat';
export const TEXT_MODEL = 'mpt-7b-instruct';
export const EMBED_MODEL = 'instructor-large';
export const DEFAULT_OPTIONS = Object.freeze({ mosaicml_api_key: API_KEY });

export const path = (model: string): string => `/${model}/v1/predict`;

const FIXTURES = new URL('../../test/fixtures/', import.meta.url);

/** A fixture's text: `.jsonc` fixtures open with `//` lines naming the doc page; those are cut. */
export function fixture(name: string): string {
  const text = readFileSync(new URL(name, FIXTURES), 'utf8');
  return name.endsWith('.jsonc') ? text.replace(/^(?:\s*\/\/[^\n]*\n)+/, '') : text;
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixture(name)) as T;
}

export interface Captured {
  calls: number;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

function headerRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
  } else if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    (headers as Headers).forEach((value, key) => (out[key.toLowerCase()] = value));
  } else {
    for (const [key, value] of Object.entries(headers as Record<string, unknown>)) out[key.toLowerCase()] = String(value);
  }
  return out;
}

export interface Reply {
  status?: number;
  body: string;
  headers?: Record<string, string>;
  /** Milliseconds before the reply (to test aborts). */
  delay?: number;
}

/** Answer one POST to `path` and record what the provider sent. */
export function intercept(agent: MockAgent, urlPath: string, reply: Reply, origin = ORIGIN): Captured {
  const captured: Captured = { calls: 0, path: '', method: '', headers: {}, body: {} };
  const scope = agent
    .get(origin)
    .intercept({ path: urlPath, method: 'POST' })
    .reply((opts) => {
      captured.calls += 1;
      captured.path = opts.path;
      captured.method = opts.method;
      captured.headers = headerRecord(opts.headers);
      captured.body = JSON.parse(String(opts.body)) as Record<string, unknown>;
      return { statusCode: reply.status ?? 200, data: reply.body, responseOptions: { headers: reply.headers ?? { 'content-type': 'application/json' } } };
    });
  if (reply.delay !== undefined) scope.delay(reply.delay);
  return captured;
}

export function newAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

export function instance(agent: Dispatcher, model = CHAT_MODEL, options: Record<string, unknown> = DEFAULT_OPTIONS, providerName = 'mosaicml'): Promise<ProviderInstance> {
  return createProviderInstance(provider, { ...options }, { dispatcher: agent, model, providerName });
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) expect.fail(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  expect(isGatewayError(outcome.error), String(outcome.error)).to.equal(true);
  return outcome.error as GatewayError;
}
