// A mocked upstream for provider tests: fixture files of a provider's wire format, one undici
// MockAgent per test with net connect disabled, interceptors that answer a request and record
// what was sent, and a dispatcher that replays response bodies in small timed pieces, so that
// events, JSON and UTF-8 characters arrive split across reads as on a real connection; and small
// helpers for the checks every provider's tests make (a streamed request, chunk bodies, a read
// that gives up on a stalled stream, the coded error a call rejects with).
//
// Nothing here loads mocha or chai: checks use node:assert, and the per-test helpers are handed
// the runner's hooks (`agentPerTest({ beforeEach, afterEach })`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MockAgent, type Dispatcher } from 'undici';
import type { ChatChunk, ChatRequest } from '../api/openai-types.js';
import type { ProviderDefinition, ProviderInstance, ProviderServices } from '../api/provider.js';
import { isGatewayError, type GatewayError } from '../errors.js';
import { createProviderInstance, silentLogger } from './provider-harness.js';

// ---------------------------------------------------------------------------------------------
// Fixtures

export interface FixtureFiles {
  /**
   * A fixture's text. `.jsonc` fixtures open with `//` lines naming the doc page they follow;
   * those are cut, leaving the exact body. Any other file (`.sse`, whose `:` comment lines are
   * valid SSE that every client ignores; `.xml`; ...) is served as it is.
   */
  fixture(name: string): string;
  /** A fixture parsed as JSON. */
  fixtureJson<T = Record<string, unknown>>(name: string): T;
}

/** Leading `//` comment lines of a `.jsonc` fixture (the doc page it follows), cut. */
export function stripLeadingComments(text: string): string {
  return text.replace(/^(?:\s*\/\/[^\n]*\n)+/, '');
}

/**
 * The fixtures of one folder, usually `fixtureFiles(new URL('../../test/fixtures/', import.meta.url))`
 * from a package's compiled `dist/test/helpers.js`.
 */
export function fixtureFiles(dir: URL): FixtureFiles {
  const folder = dir.href.endsWith('/') ? dir : new URL(`${dir.href}/`);
  const fixture = (name: string): string => {
    const text = readFileSync(new URL(name, folder), 'utf8');
    return name.endsWith('.jsonc') ? stripLeadingComments(text) : text;
  };
  return { fixture, fixtureJson: <T>(name: string): T => JSON.parse(fixture(name)) as T };
}

/** An SSE body from events (objects as JSON, strings as they are), each `data:` line ended by a blank line. */
export function sseBody(events: readonly unknown[]): string {
  return events.map((e) => `data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`).join('');
}

// ---------------------------------------------------------------------------------------------
// Agents

export function newAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

/** After a test: fail if an interceptor was never used, and close the agent either way. */
export async function releaseAgent(agent: MockAgent): Promise<void> {
  try {
    agent.assertNoPendingInterceptors();
  } finally {
    await agent.close();
  }
}

/** The hook registration of a test runner; mocha's `beforeEach` and `afterEach` fit. */
export interface TestHooks {
  beforeEach: (fn: () => void | Promise<void>) => void;
  afterEach: (fn: () => void | Promise<void>) => void;
}

export interface AgentPerTest {
  /** The current test's agent. */
  readonly agent: MockAgent;
}

/**
 * A fresh agent for every test of the enclosing block, released (see `releaseAgent`) after it.
 * Call it where hooks are registered: `const mock = agentPerTest({ beforeEach, afterEach });`,
 * then use `mock.agent` in the tests.
 */
export function agentPerTest(hooks: TestHooks): AgentPerTest {
  let current: MockAgent | undefined;
  hooks.beforeEach(() => {
    current = newAgent();
  });
  hooks.afterEach(async () => {
    const agent = current;
    current = undefined;
    if (agent) await releaseAgent(agent);
  });
  return {
    get agent(): MockAgent {
      if (!current) throw new Error('agentPerTest: the agent exists only while a test runs.');
      return current;
    },
  };
}

export interface ProviderPerTest<P = ProviderInstance> extends AgentPerTest {
  /** The current test's provider instance, built on the agent (or on `replaying(agent)`). */
  readonly provider: P;
}

/**
 * `agentPerTest`, plus a provider instance built on each test's agent by `build`; with `replay`,
 * on `replaying(agent, replay)`, so that every body arrives in pieces.
 */
export function providerPerTest<P = ProviderInstance>(
  hooks: TestHooks,
  build: (dispatcher: Dispatcher) => P | Promise<P>,
  replay?: ReplayOptions,
): ProviderPerTest<P> {
  const mock = agentPerTest(hooks);
  let current: { provider: P } | undefined;
  hooks.beforeEach(async () => {
    current = { provider: await build(replay ? replaying(mock.agent, replay) : mock.agent) };
  });
  hooks.afterEach(() => {
    current = undefined;
  });
  return {
    get agent(): MockAgent {
      return mock.agent;
    },
    get provider(): P {
      if (!current) throw new Error('providerPerTest: the instance exists only while a test runs.');
      return current.provider;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Answering and recording requests

/** A request as the provider sent it. */
export interface SentRequest {
  readonly method: string;
  /** Path with the query string, as sent. */
  readonly path: string;
  /** The query string's parameters (the last value of a repeated one). */
  readonly query: Readonly<Record<string, string>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as sent ('' without one). */
  readonly text: string;
  /** The body parsed as JSON (`{}` without one); reading it fails the test when the body is not JSON. */
  readonly body: Record<string, unknown>;
}

/** The requests an interceptor answered, in order; the getters read the last one. */
export class Captured {
  readonly requests: SentRequest[] = [];

  get calls(): number {
    return this.requests.length;
  }

  /** The last request answered; fails the test when none has arrived. */
  get last(): SentRequest {
    const last = this.requests.at(-1);
    assert.ok(last, 'no request has reached this interceptor');
    return last;
  }

  get method(): string {
    return this.last.method;
  }

  get path(): string {
    return this.last.path;
  }

  get query(): Readonly<Record<string, string>> {
    return this.last.query;
  }

  get headers(): Readonly<Record<string, string>> {
    return this.last.headers;
  }

  get text(): string {
    return this.last.text;
  }

  get body(): Record<string, unknown> {
    return this.last.body;
  }

  /** Every request's parsed body, in order. */
  get bodies(): Record<string, unknown>[] {
    return this.requests.map((r) => r.body);
  }
}

/** Header names in lower case, from any of the forms undici hands an interceptor. */
export function headerRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
  } else if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    (headers as Headers).forEach((value, key) => (out[key.toLowerCase()] = value));
  } else if (typeof headers === 'object') {
    for (const [key, value] of Object.entries(headers as Record<string, unknown>)) out[key.toLowerCase()] = String(value);
  }
  return out;
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return String(body);
}

function sentRequest(opts: { method: string; path: string; headers?: unknown; body?: unknown }): SentRequest {
  const text = bodyText(opts.body);
  const queryAt = opts.path.indexOf('?');
  const query = Object.fromEntries(new URLSearchParams(queryAt < 0 ? '' : opts.path.slice(queryAt + 1)));
  let parsed: Record<string, unknown> | undefined;
  return {
    method: opts.method,
    path: opts.path,
    query,
    headers: headerRecord(opts.headers),
    text,
    get body(): Record<string, unknown> {
      if (parsed === undefined) {
        try {
          parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
        } catch {
          assert.fail(`the request body is not JSON: ${text.slice(0, 200)}`);
        }
      }
      return parsed;
    },
  };
}

export interface Reply {
  /** Default 200. */
  status?: number;
  /** A string or bytes are sent as they are; anything else as JSON. */
  body: unknown;
  /**
   * Response headers, over the default content-type: text/event-stream for a 2xx text body that
   * reads as SSE, application/octet-stream for bytes, else application/json.
   */
  headers?: Record<string, string>;
  /** Milliseconds before the answer starts (abort and timeout tests). */
  delay?: number;
  /** How many requests this reply answers (default 1). */
  times?: number;
  /** Answer every matching request, however many. */
  persist?: boolean;
}

const SSE_START = /^(?:data|event|id|retry)?:/;

function defaultContentType(status: number, body: unknown): string {
  if (body instanceof Uint8Array) return 'application/octet-stream';
  return status < 300 && typeof body === 'string' && SSE_START.test(body.trimStart()) ? 'text/event-stream' : 'application/json';
}

/**
 * Answer requests to `origin` + `path` (the path includes the query; a RegExp or a predicate
 * matches several) with `reply`, and record what was sent in the returned `Captured`.
 */
export function answer(
  agent: MockAgent,
  origin: string,
  path: string | RegExp | ((path: string) => boolean),
  reply: Reply,
  method = 'POST',
): Captured {
  const captured = new Captured();
  const status = reply.status ?? 200;
  const data = typeof reply.body === 'string' || reply.body instanceof Uint8Array ? reply.body : JSON.stringify(reply.body);
  const headers: Record<string, string> = { 'content-type': defaultContentType(status, reply.body) };
  for (const [key, value] of Object.entries(reply.headers ?? {})) headers[key.toLowerCase()] = value;
  const scope = agent
    .get(origin)
    .intercept({ path, method })
    .reply((opts) => {
      captured.requests.push(sentRequest(opts));
      return { statusCode: status, data: data as string | Buffer, responseOptions: { headers } };
    });
  if (reply.delay !== undefined) scope.delay(reply.delay);
  if (reply.persist) scope.persist();
  else if (reply.times !== undefined) scope.times(reply.times);
  return captured;
}

// ---------------------------------------------------------------------------------------------
// Bodies in pieces

export interface ReplayOptions {
  /** Bytes per piece (default 7: events, JSON and UTF-8 characters are split across reads). */
  chunkSize?: number;
  /** Milliseconds between pieces; 0 (the default) delivers one piece per turn of the event loop. */
  intervalMs?: number;
  /** Deliver only this many bytes of a body, then go silent without ending it (a stalled upstream). */
  stallAfter?: number;
}

export interface ReplayingDispatcher extends Dispatcher {
  /** How many pieces have been handed on so far, over every request. */
  delivered(): number;
}

/**
 * A dispatcher over `agent` whose response bodies arrive in small pieces over time, the way a
 * real stream does, instead of in one read. A piece is not delivered once the reader has given
 * up on the body.
 */
export function replaying(agent: MockAgent, options: ReplayOptions = {}): ReplayingDispatcher {
  type Handler = Dispatcher.DispatchHandler;
  type Controller = Parameters<NonNullable<Handler['onResponseData']>>[0];
  const size = options.chunkSize ?? 7;
  const interval = options.intervalMs ?? 0;
  assert.ok(Number.isInteger(size) && size > 0, 'replaying: chunkSize must be a positive integer');
  let delivered = 0;
  const interceptor = (dispatch: Dispatcher['dispatch']): Dispatcher['dispatch'] => (opts, handler: Handler) => {
    const queue: Array<() => void> = [];
    let cancel: (() => void) | undefined;
    let failed = false;
    let sent = 0;
    let stalled = false;
    const wait = (fn: () => void): (() => void) => {
      if (interval > 0) {
        const timer = setTimeout(fn, interval);
        return () => clearTimeout(timer);
      }
      const immediate = setImmediate(fn);
      return () => clearImmediate(immediate);
    };
    const pump = (): void => {
      queue.shift()?.();
      cancel = queue.length > 0 ? wait(pump) : undefined;
    };
    const schedule = (controller: Controller, step: () => void): void => {
      if (failed) return;
      queue.push(() => {
        if (!controller.aborted) step();
      });
      cancel ??= wait(pump);
    };
    return dispatch(opts, {
      onRequestStart: (controller: Controller, context: unknown) => handler.onRequestStart?.(controller, context),
      onResponseStart: (controller: Controller, status: number, headers: Record<string, string | string[]>, message: string) =>
        handler.onResponseStart?.(controller, status, headers, message),
      onResponseError: (controller: Controller, error: Error) => {
        failed = true;
        cancel?.();
        queue.length = 0;
        handler.onResponseError?.(controller, error);
      },
      onResponseData(controller: Controller, chunk: Buffer) {
        for (let i = 0; i < chunk.length && !stalled; i += size) {
          let piece = Buffer.from(chunk.subarray(i, i + size));
          if (options.stallAfter !== undefined && sent + piece.length >= options.stallAfter) {
            piece = piece.subarray(0, options.stallAfter - sent);
            stalled = true;
          }
          sent += piece.length;
          if (piece.length > 0) {
            schedule(controller, () => {
              delivered += 1;
              handler.onResponseData?.(controller, piece);
            });
          }
        }
      },
      onResponseEnd(controller: Controller, trailers: Record<string, string | string[]>) {
        if (!stalled) schedule(controller, () => handler.onResponseEnd?.(controller, trailers));
      },
    } as Handler);
  };
  return Object.assign(agent.compose(interceptor), { delivered: () => delivered });
}

// ---------------------------------------------------------------------------------------------
// Instances, services and outcomes

/** Build an instance as the gateway does (see `createProviderInstance`), model `test-model` by default. */
export function instanceOf(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Options type fits
  provider: ProviderDefinition<any>,
  options: Record<string, unknown>,
  dispatcher: Dispatcher,
  extra: { model?: string; providerName?: string; endpoint?: string } = {},
): Promise<ProviderInstance> {
  return createProviderInstance(provider, options, { dispatcher, model: extra.model ?? 'test-model', providerName: extra.providerName, endpoint: extra.endpoint });
}

export interface ServicesOptions {
  /** The endpoint's model name; default `test-model`. */
  model?: string;
  /** The provider name as the config wrote it; default `test-provider`. */
  providerName?: string;
  /** The endpoint's name; default `test-endpoint`. */
  endpoint?: string;
  /** Default: a silent logger. */
  logger?: ProviderServices['logger'];
  /** What the clock says, in milliseconds; default 1_700_000_000_000. */
  now?: number;
}

/** Services for calling a provider's `create` (or a shared base's factory) directly, with a fixed clock. */
export function services(dispatcher: Dispatcher, options: ServicesOptions = {}): ProviderServices {
  const now = options.now ?? 1_700_000_000_000;
  return {
    dispatcher,
    logger: options.logger ?? silentLogger(),
    clock: { now: () => now },
    providerName: options.providerName ?? 'test-provider',
    endpoint: options.endpoint ?? 'test-endpoint',
    model: options.model ?? 'test-model',
  };
}

export interface LogLine {
  level: string;
  message: string;
  meta: unknown;
}

/** A logger that records what it is given, to check that no secret reaches a log line. */
export function recordingLogger(lines: LogLine[]): ProviderServices['logger'] {
  const log = (level: string) => (message: string, meta?: unknown) => {
    lines.push({ level, message, meta });
  };
  const logger = { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug'), child: () => logger };
  return logger as unknown as ProviderServices['logger'];
}

function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The coded error a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const outcome = await promise.then(
    (value: unknown) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) assert.fail(`expected a rejection, got ${describeValue(outcome.value)}`);
  assert.ok(isGatewayError(outcome.error), `expected a GatewayError, got ${String(outcome.error)}`);
  return outcome.error;
}

// ---------------------------------------------------------------------------------------------
// Streams

/** A streamed chat request for `model` asking for the usage chunk: one user message, "Hi"; `extra` over it. */
export function chatStreamRequest(model: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true }, ...extra };
}

/** Chat chunks without their envelope (id, object, created, model), which a test checks apart. */
export function chunkBodies(chunks: readonly ChatChunk[]): Array<Pick<ChatChunk, 'choices' | 'usage'>> {
  return chunks.map(({ choices, usage }) => (usage === undefined ? { choices } : { choices, usage }));
}

/** The length in bytes of `text` up to and including the first `marker` (a `stallAfter` point). */
export function bytesThrough(text: string, marker: string): number {
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `marker not found: ${marker}`);
  return Buffer.byteLength(text.slice(0, at + marker.length));
}

export interface AbortedRead<T> {
  /** What arrived before the read ended. */
  items: T[];
  /** What the read ended with (undefined when the stream ended by itself). */
  error: unknown;
  /** Milliseconds from the start of the read to its end. */
  elapsedMs: number;
}

/**
 * Read `stream` and abort `controller` `delayMs` (default 20) after `when(items)` first holds, as
 * a client that gives up on a stalled stream. Should `when` never hold, a safety abort after
 * `safetyMs` (default 3000) ends the read, so the test fails on `items` instead of hanging.
 */
export async function readThenAbort<T>(
  stream: AsyncIterable<T>,
  controller: AbortController,
  when: (items: readonly T[]) => boolean,
  options: { delayMs?: number; safetyMs?: number } = {},
): Promise<AbortedRead<T>> {
  const started = Date.now();
  const safety = setTimeout(() => controller.abort(), options.safetyMs ?? 3000);
  const items: T[] = [];
  let error: unknown;
  let armed = false;
  try {
    for await (const item of stream) {
      items.push(item);
      if (!armed && when(items)) {
        armed = true;
        setTimeout(() => controller.abort(), options.delayMs ?? 20);
      }
    }
  } catch (e) {
    error = e;
  } finally {
    clearTimeout(safety);
  }
  return { items, error, elapsedMs: Date.now() - started };
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
