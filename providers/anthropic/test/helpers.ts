// Test helpers: fixtures of Anthropic's wire format, a MockAgent (and an instance) per test,
// capture of the request the provider sent, and a dispatcher that replays a body in small timed chunks.
import { readFileSync } from 'node:fs';
import { MockAgent, type Dispatcher } from 'undici';
import { expect } from 'chai';
import { createProviderInstance } from '@gatehousejs/core/testing';
import { isGatewayError, type GatewayError, type ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';

export const BASE = 'https://api.anthropic.com';
export const API_KEY = 'sk-ant-api03-TEST-KEY-not-a-real-secret-0123456789';
export const MODEL = 'claude-3-7-sonnet-20250219';
export const DEFAULT_OPTIONS = Object.freeze({ anthropic_api_key: API_KEY });

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

/** Answer one POST /v1/messages and record what the provider sent. */
export function interceptMessages(agent: MockAgent, reply: Reply, origin = BASE, path = '/v1/messages'): Captured {
  const captured: Captured = { calls: 0, path: '', method: '', headers: {}, body: {} };
  const scope = agent
    .get(origin)
    .intercept({ path, method: 'POST' })
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

export const SSE_HEADERS = Object.freeze({ 'content-type': 'text/event-stream; charset=utf-8' });

/** Reply with a recorded SSE stream. */
export function interceptStream(agent: MockAgent, sse: string, origin = BASE): Captured {
  return interceptMessages(agent, { body: sse, headers: { ...SSE_HEADERS } }, origin);
}

export interface ReplayOptions {
  /** Bytes per chunk (small, so events and UTF-8 characters are split across chunks). */
  chunkSize: number;
  /** Milliseconds between chunks. */
  intervalMs: number;
  /** Stop delivering after this many bytes and never end the body (a stalled upstream). */
  stallAfter?: number;
}

/**
 * Wrap a MockAgent so that each response body arrives in small chunks over time, the way a
 * real SSE stream does, instead of in one piece.
 */
export function replaying(agent: MockAgent, options: ReplayOptions): Dispatcher {
  type Handler = Dispatcher.DispatchHandler;
  type Controller = Parameters<NonNullable<Handler['onResponseData']>>[0];
  const interceptor = (dispatch: Dispatcher['dispatch']): Dispatcher['dispatch'] => (opts, handler: Handler) => {
    const queue: Array<() => void> = [];
    let timer: NodeJS.Timeout | undefined;
    let sent = 0;
    let stalled = false;
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
        for (let i = 0; i < chunk.length && !stalled; i += options.chunkSize) {
          let piece = Buffer.from(chunk.subarray(i, i + options.chunkSize));
          if (options.stallAfter !== undefined && sent + piece.length >= options.stallAfter) {
            piece = piece.subarray(0, options.stallAfter - sent);
            stalled = true;
          }
          sent += piece.length;
          if (piece.length > 0) schedule(() => handler.onResponseData?.(controller, piece));
        }
      },
      onResponseEnd(controller: Controller, trailers: Record<string, string | string[]>) {
        if (!stalled) schedule(() => handler.onResponseEnd?.(controller, trailers));
      },
    } as Handler);
  };
  return agent.compose(interceptor);
}

export function newAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

export function instance(agent: Dispatcher, options: Record<string, unknown> = DEFAULT_OPTIONS, providerName = 'anthropic'): Promise<ProviderInstance> {
  return createProviderInstance(provider, { ...options }, { dispatcher: agent, model: MODEL, providerName });
}

export interface AgentPerTest {
  /** The current test's agent. */
  readonly agent: MockAgent;
}

export interface ProviderPerTest extends AgentPerTest {
  /** An instance with the default options, on the current test's agent. */
  readonly provider: ProviderInstance;
}

/**
 * Per-test setup of the enclosing describe block: a fresh agent before every test; after it, a
 * check that every interceptor was used, and the agent closed.
 */
export function agentPerTest(): AgentPerTest {
  let current: MockAgent | undefined;
  beforeEach(() => {
    current = newAgent();
  });
  afterEach(async () => {
    const agent = current!;
    current = undefined;
    try {
      agent.assertNoPendingInterceptors();
    } finally {
      await agent.close();
    }
  });
  return {
    get agent() {
      if (!current) throw new Error('agentPerTest: the agent exists only while a test runs.');
      return current;
    },
  };
}

/** agentPerTest, plus an instance on the agent, behind `replaying(agent, replay)` when given. */
export function providerPerTest(replay?: ReplayOptions): ProviderPerTest {
  const mock = agentPerTest();
  let current: ProviderInstance | undefined;
  beforeEach(async () => {
    current = await instance(replay ? replaying(mock.agent, replay) : mock.agent);
  });
  return {
    get agent() {
      return mock.agent;
    },
    get provider() {
      if (!current) throw new Error('providerPerTest: the instance exists only while a test runs.');
      return current;
    },
  };
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
