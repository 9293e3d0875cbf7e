// Provider instances and services the way the gateway builds them, and the coded error a call
// rejects with. Checks use node:assert, so that any test runner can call them.
import assert from 'node:assert/strict';
import type { Dispatcher } from 'undici';
import { createProviderInstance, silentLogger } from '@gatehousejs/core/testing';
import { isGatewayError, type GatewayError, type ProviderDefinition, type ProviderInstance, type ProviderServices } from '@gatehousejs/core';

/** Build an instance as the gateway does (services from core's harness). */
export function instanceOf(
  provider: ProviderDefinition,
  options: Record<string, unknown>,
  dispatcher: Dispatcher,
  extra: { model?: string; providerName?: string } = {},
): Promise<ProviderInstance> {
  return createProviderInstance(provider, options, { dispatcher, model: extra.model ?? 'test-model', providerName: extra.providerName });
}

export interface ServicesOptions {
  /** The endpoint's model name; default `test-model`. */
  model?: string;
  /** The provider name as the config wrote it; default `openai-compatible`. */
  providerName?: string;
  /** Default: a silent logger. */
  logger?: ProviderServices['logger'];
  /** What the clock says, in milliseconds; default 1_700_000_000_000. */
  now?: number;
}

/** Services for calling `createOpenAICompatibleInstance` or a provider's `create` directly. */
export function services(dispatcher: Dispatcher, options: ServicesOptions = {}): ProviderServices {
  const now = options.now ?? 1_700_000_000_000;
  return {
    dispatcher,
    logger: options.logger ?? silentLogger(),
    clock: { now: () => now },
    providerName: options.providerName ?? 'openai-compatible',
    endpoint: 'test-endpoint',
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

/** The coded error a promise rejects with; fails the test if it resolves or throws anything else. */
export async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.notEqual(error, undefined, 'expected a rejection');
  assert.ok(isGatewayError(error), `expected a GatewayError, got ${String(error)}`);
  return error;
}
