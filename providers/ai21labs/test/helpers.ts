// Test helpers: fixtures of AI21's wire format, a MockAgent per test, capture of the request
// the provider sent, and a dispatcher that replays a body in small timed chunks.
import { readFileSync } from 'node:fs';
import { MockAgent, type Dispatcher } from 'undici';
import { expect } from 'chai';
import { createProviderInstance } from '@gatehousejs/core/testing';
import { isGatewayError, type GatewayError, type ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';

export const BASE = 'https://api.ai21.com';
export const API_KEY = 'ai21-TEST-KEY-not-a-real-secret-0123456789';
export const MODEL = 'jamba-large';
export const J2_MODEL = 'j2-ultra';
export const DEFAULT_OPTIONS = Object.freeze({ ai21labs_api_key: API_KEY });
export const CHAT_PATH = '/studio/v1/chat/completions';
export const J2_PATH = '/studio/v1/j2-ultra/complete';

const FIXTURES = new URL('../../test/fixtures/', import.meta.url);

/**
 * A fixture's text. `.jsonc` fixtures open with `//` lines naming the doc page they follow;
 * those are cut, leaving the exact JSON body. `.sse` fixtures are served as they are (their
 * `:` comment lines are valid SSE, ignored by every client).
 */
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
  bodies: Array<Record<string, unknown>>;
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
  /** How many requests this reply answers. */
  times?: number;
}

/** Answer POSTs to `path` and record what the provider sent. */
export function intercept(agent: MockAgent, path: string, reply: Reply, origin = BASE): Captured {
  const captured: Captured = { calls: 0, path: '', method: '', headers: {}, body: {}, bodies: [] };
  const scope = agent
    .get(origin)
    .intercept({ path, method: 'POST' })
    .reply((opts) => {
      captured.calls += 1;
      captured.path = opts.path;
      captured.method = opts.method;
      captured.headers = headerRecord(opts.headers);
      captured.body = JSON.parse(String(opts.body)) as Record<string, unknown>;
      captured.bodies.push(captured.body);
      return { statusCode: reply.status ?? 200, data: reply.body, responseOptions: { headers: reply.headers ?? { 'content-type': 'application/json' } } };
    });
  if (reply.delay !== undefined) scope.delay(reply.delay);
  if (reply.times !== undefined) scope.times(reply.times);
  return captured;
}

export const interceptChat = (agent: MockAgent, reply: Reply, origin = BASE): Captured => intercept(agent, CHAT_PATH, reply, origin);

export const SSE_HEADERS = Object.freeze({ 'content-type': 'text/event-stream' });

/** Reply with a recorded SSE stream. */
export function interceptStream(agent: MockAgent, sse: string, origin = BASE): Captured {
  return intercept(agent, CHAT_PATH, { body: sse, headers: { ...SSE_HEADERS } }, origin);
}

export interface ReplayOptions {
  /** Bytes per chunk (small, so events and UTF-8 characters are split across chunks). */
  chunkSize: number;
  /** Milliseconds between chunks. */
  intervalMs: number;
}

/**
 * Wrap a MockAgent so that each response body arrives in small chunks over time, the way a
 * real SSE stream does, instead of in one piece. `delivered` counts the chunks handed on.
 */
export function replaying(agent: MockAgent, options: ReplayOptions): Dispatcher & { delivered: () => number } {
  type Handler = Dispatcher.DispatchHandler;
  type Controller = Parameters<NonNullable<Handler['onResponseData']>>[0];
  let delivered = 0;
  const interceptor = (dispatch: Dispatcher['dispatch']): Dispatcher['dispatch'] => (opts, handler: Handler) => {
    const queue: Array<() => void> = [];
    let timer: NodeJS.Timeout | undefined;
    const pump = (): void => {
      queue.shift()?.();
      timer = queue.length > 0 ? setTimeout(pump, options.intervalMs) : undefined;
    };
    const schedule = (step: () => void): void => {
      queue.push(step);
      if (timer === undefined) timer = setTimeout(pump, options.intervalMs);
    };
    return dispatch(opts, {
      onRequestStart: (controller: Controller, context: unknown) => handler.onRequestStart?.(controller, context),
      onResponseStart: (controller: Controller, status: number, headers: Record<string, string | string[]>, message: string) =>
        handler.onResponseStart?.(controller, status, headers, message),
      onResponseError: (controller: Controller, error: Error) => {
        if (timer) clearTimeout(timer);
        handler.onResponseError?.(controller, error);
      },
      onResponseData(controller: Controller, chunk: Buffer) {
        for (let i = 0; i < chunk.length; i += options.chunkSize) {
          const piece = Buffer.from(chunk.subarray(i, i + options.chunkSize));
          schedule(() => {
            delivered += 1;
            handler.onResponseData?.(controller, piece);
          });
        }
      },
      onResponseEnd(controller: Controller, trailers: Record<string, string | string[]>) {
        schedule(() => handler.onResponseEnd?.(controller, trailers));
      },
    } as Handler);
  };
  return Object.assign(agent.compose(interceptor), { delivered: () => delivered });
}

export function newAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

export function instance(
  agent: Dispatcher,
  options: Record<string, unknown> = DEFAULT_OPTIONS,
  model = MODEL,
  providerName = 'ai21labs',
): Promise<ProviderInstance> {
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

/** Drain an async iterable, keeping what arrived before a failure. */
export async function drain<T>(iterable: AsyncIterable<T> | Promise<AsyncIterable<T>>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of await iterable) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items, error: undefined };
}
