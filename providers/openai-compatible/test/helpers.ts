// Test plumbing: one MockAgent per test with net connect disabled, interceptors that record
// the request they answer, and a provider instance built the way the gateway builds it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MockAgent } from 'undici';
import { expect } from 'chai';
import { createProviderInstance, silentLogger } from '@gatehousejs/core/testing';
import { isGatewayError, type GatewayError, type ProviderDefinition, type ProviderInstance, type ProviderServices } from '@gatehousejs/core';

export interface SentRequest {
  method: string;
  /** Path with query string, as sent. */
  path: string;
  headers: Record<string, string>;
  /** The JSON body, parsed. */
  body: Record<string, unknown>;
}

export interface Answer {
  status?: number;
  /** A string is sent as it is (SSE, HTML, broken JSON); anything else as JSON. */
  body: unknown;
  headers?: Record<string, string>;
  /** Milliseconds before the answer starts (abort and timeout tests). */
  delay?: number;
}

export function newAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

/**
 * Answer one request to `origin` + `path` (path includes the query) and record what was sent.
 * The returned array holds the request once it arrived.
 */
export function answer(agent: MockAgent, origin: string, path: string, reply: Answer, method = 'POST'): SentRequest[] {
  const sent: SentRequest[] = [];
  const scope = agent
    .get(origin)
    .intercept({ path, method })
    .reply((opts) => {
      sent.push({
        method: opts.method,
        path: opts.path,
        headers: { ...(opts.headers as Record<string, string>) },
        body: typeof opts.body === 'string' ? (JSON.parse(opts.body) as Record<string, unknown>) : {},
      });
      const isText = typeof reply.body === 'string';
      return {
        statusCode: reply.status ?? 200,
        data: isText ? (reply.body as string) : JSON.stringify(reply.body),
        responseOptions: {
          headers: { 'content-type': isText && (reply.status ?? 200) < 300 ? 'text/event-stream' : 'application/json', ...reply.headers },
        },
      };
    });
  if (reply.delay) scope.delay(reply.delay);
  return sent;
}

/** Build an instance as the gateway does (services from core's harness). */
export function instanceOf(
  provider: ProviderDefinition,
  options: Record<string, unknown>,
  agent: MockAgent,
  extra: { model?: string; providerName?: string } = {},
): Promise<ProviderInstance> {
  return createProviderInstance(provider, options, { dispatcher: agent, model: extra.model ?? 'test-model', providerName: extra.providerName });
}

/** Services for calling createOpenAICompatibleInstance directly. */
export function services(agent: MockAgent, model = 'test-model', now = 1_700_000_000_000): ProviderServices {
  return {
    dispatcher: agent,
    logger: silentLogger(),
    clock: { now: () => now },
    providerName: 'openai-compatible',
    endpoint: 'test-endpoint',
    model,
  };
}

/** The coded error a promise rejects with; fails the test if it resolves or throws anything else. */
export async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a rejection').to.not.equal(undefined);
  expect(isGatewayError(error), `expected a GatewayError, got ${String(error)}`).to.equal(true);
  return error as GatewayError;
}

/** Read a recorded stream or body from test/fixtures (the tests run from dist/test). */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8');
}

export async function drain<T>(iterable: AsyncIterable<T> | Promise<AsyncIterable<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of await iterable) out.push(item);
  return out;
}

interface AjvLike {
  compile(schema: unknown): ((data: unknown) => boolean) & { errors?: { instancePath: string; keyword: string; params: Record<string, unknown> }[] | null };
}

/**
 * An ajv set up like the gateway's (strict, all errors, formats), taken from core's own
 * dependencies so that the schema is checked by the same ajv that core runs.
 */
export function gatewayAjv(): AjvLike {
  const require = createRequire(createRequire(import.meta.url).resolve('@gatehousejs/core/package.json'));
  const { Ajv } = require('ajv') as { Ajv: new (o: object) => AjvLike };
  const formats = require('ajv-formats') as { default: (ajv: AjvLike) => void };
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true });
  formats.default(ajv);
  return ajv;
}
