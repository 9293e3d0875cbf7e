// Test helpers: fixtures of Bedrock's wire format, a MockAgent per test, capture of the
// request the provider sent, a movable clock, and a dispatcher that replays a body in small
// timed chunks (so event-stream frames arrive split across reads).
import { readFileSync } from 'node:fs';
import { MockAgent, type Dispatcher } from 'undici';
import { expect } from 'chai';
import { silentLogger } from '@gatehousejs/core/testing';
import { isGatewayError, type GatewayError, type ProviderInstance } from '@gatehousejs/core';
import { createBedrockInstance, type BedrockOptions } from '../src/index.js';
import { encodeEvents, type RecordedEvent } from './eventstream-encoder.js';

export const REGION = 'us-east-1';
export const ORIGIN = `https://bedrock-runtime.${REGION}.amazonaws.com`;
export const STS_ORIGIN = `https://sts.${REGION}.amazonaws.com`;
export const MODEL = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
/** The model id as one encoded path segment. */
export const MODEL_PATH = '/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0';
export const TITAN = 'amazon.titan-embed-text-v2:0';
export const COHERE = 'cohere.embed-english-v3';

// AWS's documented example credentials (not real).
export const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLE-session-token-0123456789';
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/bedrock-gateway';

export const KEY_OPTIONS: BedrockOptions = Object.freeze({
  aws_config: { aws_region: REGION, aws_access_key_id: ACCESS_KEY_ID, aws_secret_access_key: SECRET_ACCESS_KEY },
});

/** 2024-05-01T12:00:00Z: the fixed start of every test clock. */
export const T0 = Date.parse('2024-05-01T12:00:00Z');

export interface TestClock {
  t: number;
  now(): number;
}

export function testClock(start = T0): TestClock {
  return {
    t: start,
    now() {
      return this.t;
    },
  };
}

const FIXTURES = new URL('../../test/fixtures/', import.meta.url);

/** A fixture's text; `.jsonc` fixtures open with `//` lines naming the doc page they follow, which are cut. */
export function fixture(name: string): string {
  const text = readFileSync(new URL(name, FIXTURES), 'utf8');
  return name.endsWith('.jsonc') ? text.replace(/^(?:\s*\/\/[^\n]*\n)+/, '') : text;
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixture(name)) as T;
}

/** A recorded ConverseStream (a `.jsonc` list of events) as event-stream bytes. */
export function streamFixture(name: string): Buffer {
  return encodeEvents(fixtureJson<RecordedEvent[]>(name));
}

export interface Captured {
  calls: number;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  json(): Record<string, unknown>;
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
  body: string | Buffer;
  headers?: Record<string, string>;
  /** Milliseconds before the reply (to test aborts). */
  delay?: number;
  /** Answer every matching call (so `calls` counts them all). */
  persist?: boolean;
}

export const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json' });
export const STREAM_HEADERS = Object.freeze({ 'content-type': 'application/vnd.amazon.eventstream' });

/** Answer one POST and record what the provider sent. */
export function intercept(agent: MockAgent, path: string, reply: Reply, origin = ORIGIN): Captured {
  const captured: Captured = {
    calls: 0,
    path: '',
    method: '',
    headers: {},
    body: '',
    json() {
      return JSON.parse(this.body) as Record<string, unknown>;
    },
  };
  const scope = agent
    .get(origin)
    .intercept({ path, method: 'POST' })
    .reply((opts) => {
      captured.calls += 1;
      captured.path = opts.path;
      captured.method = opts.method;
      captured.headers = headerRecord(opts.headers);
      captured.body = String(opts.body);
      return { statusCode: reply.status ?? 200, data: reply.body, responseOptions: { headers: reply.headers ?? { ...JSON_HEADERS } } };
    });
  if (reply.delay !== undefined) scope.delay(reply.delay);
  if (reply.persist) scope.persist();
  return captured;
}

export const interceptConverse = (agent: MockAgent, reply: Reply, modelPath = MODEL_PATH): Captured => intercept(agent, `${modelPath}/converse`, reply);

export const interceptStream = (agent: MockAgent, body: Buffer, modelPath = MODEL_PATH): Captured =>
  intercept(agent, `${modelPath}/converse-stream`, { body, headers: { ...STREAM_HEADERS } });

/** An AWS rest-json error answer: `{"message"}` with the exception in x-amzn-errortype. */
export function awsError(status: number, type: string, message: string): Reply {
  return {
    status,
    body: JSON.stringify({ message }),
    headers: { ...JSON_HEADERS, 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': 'b1e0f3c4-0000-4a5b-9c8d-0123456789ab' },
  };
}

export interface ReplayOptions {
  /** Bytes per chunk (small, so frames are split across chunks). */
  chunkSize: number;
  /** Milliseconds between chunks. */
  intervalMs: number;
}

/** Wrap a MockAgent so that each response body arrives in small chunks over time. */
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

export interface InstanceOptions {
  options?: BedrockOptions;
  env?: NodeJS.ProcessEnv;
  clock?: TestClock;
  providerName?: string;
  model?: string;
  endpoint?: string;
}

/** An instance as core builds it, with a fixed environment and a test clock. */
export function instance(dispatcher: Dispatcher, opts: InstanceOptions = {}): ProviderInstance {
  return createBedrockInstance(structuredClone(opts.options ?? KEY_OPTIONS), {
    dispatcher,
    logger: silentLogger(),
    clock: opts.clock ?? testClock(),
    providerName: opts.providerName ?? 'bedrock',
    endpoint: opts.endpoint ?? 'chat',
    model: opts.model ?? MODEL,
  }, opts.env ?? {});
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

/** The parts of an Authorization header: credential scope, signed headers, signature. */
export function parseAuthorization(header: string | undefined): { credential: string; signedHeaders: string[]; signature: string } {
  const match = /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(header ?? '');
  expect(match, `authorization header: ${header}`).to.not.equal(null);
  return { credential: match![1]!, signedHeaders: match![2]!.split(';'), signature: match![3]! };
}
