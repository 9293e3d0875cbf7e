// Test plumbing: one MockAgent per test with net connect disabled, interceptors that record the
// request they answer, fixtures of Databricks' wire format, and a dispatcher that replays a body in
// small timed pieces (as a real stream arrives) instead of in one read.
import { readFileSync } from 'node:fs';
import { MockAgent, type Dispatcher } from 'undici';
import { expect } from 'chai';
import { createProviderInstance } from '@gatehousejs/core/testing';
import { isGatewayError, type GatewayError, type ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';

export const ORIGIN = 'https://dbc-1a2b3c4d-5e6f.cloud.databricks.com';
export const TOKEN = 'dapiTESTtokenNotARealSecret0123456789abcdef';
export const MODEL = 'databricks-meta-llama-3-3-70b-instruct';
/** The invocations path of MODEL. */
export const PATH = `/serving-endpoints/${MODEL}/invocations`;

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

export interface Sent {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export interface Reply {
  status?: number;
  /** Sent as it is. */
  body: string;
  /** Defaults: text/event-stream for a 2xx SSE body, else application/json. */
  contentType?: string;
  headers?: Record<string, string>;
  /** Milliseconds before the reply (abort tests). */
  delay?: number;
}

function headerRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
  } else if (headers && typeof headers === 'object') {
    for (const [key, value] of Object.entries(headers as Record<string, unknown>)) out[key.toLowerCase()] = String(value);
  }
  return out;
}

/**
 * Answer one POST to `path` (a RegExp matches several) and record what was sent (the array
 * fills when the request arrives).
 */
export function intercept(agent: MockAgent, path: string | RegExp, reply: Reply, origin = ORIGIN): Sent[] {
  const sent: Sent[] = [];
  const scope = agent
    .get(origin)
    .intercept({ path, method: 'POST' })
    .reply((opts) => {
      sent.push({ path: opts.path, headers: headerRecord(opts.headers), body: JSON.parse(String(opts.body)) as Record<string, unknown> });
      const status = reply.status ?? 200;
      const streaming = status < 300 && (reply.body.startsWith('data:') || reply.body.startsWith(':'));
      const contentType = reply.contentType ?? (streaming ? 'text/event-stream' : 'application/json');
      return { statusCode: status, data: reply.body, responseOptions: { headers: { 'content-type': contentType, ...reply.headers } } };
    });
  if (reply.delay !== undefined) scope.delay(reply.delay);
  return sent;
}

export interface ReplayOptions {
  /** Bytes per piece (small, so events and UTF-8 characters are split across reads). */
  chunkSize: number;
  /** Milliseconds between pieces. */
  intervalMs: number;
}

/**
 * Wrap a MockAgent so that each response body arrives in small pieces over time, the way a real
 * SSE stream does, instead of in one read.
 */
export function replaying(agent: MockAgent, options: ReplayOptions): Dispatcher {
  type Handler = Dispatcher.DispatchHandler;
  type Controller = Parameters<NonNullable<Handler['onResponseData']>>[0];
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
          schedule(() => handler.onResponseData?.(controller, piece));
        }
      },
      onResponseEnd(controller: Controller, trailers: Record<string, string | string[]>) {
        schedule(() => handler.onResponseEnd?.(controller, trailers));
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

export const OPTIONS = Object.freeze({ databricks_workspace_url: ORIGIN, databricks_api_token: TOKEN });

export function instance(dispatcher: Dispatcher, options: Record<string, unknown> = {}, model = MODEL, providerName = 'databricks'): Promise<ProviderInstance> {
  return createProviderInstance(provider, { ...OPTIONS, ...options }, { dispatcher, model, providerName });
}

/** The error a promise rejects with (fails the test when it resolves or throws something else). */
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
