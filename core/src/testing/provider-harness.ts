// Build a provider instance the way the gateway does, for tests.
import winston from 'winston';
import type { Dispatcher } from 'undici';
import type { CallContext, ProviderDefinition, ProviderInstance } from '../api/provider.js';

export function silentLogger(): winston.Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}

export interface HarnessOptions {
  readonly dispatcher: Dispatcher;
  readonly model: string;
  readonly providerName?: string;
  readonly endpoint?: string;
}

export async function createProviderInstance(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Options type fits
  def: ProviderDefinition<any>,
  options: Record<string, unknown>,
  harness: HarnessOptions,
): Promise<ProviderInstance> {
  return def.create(options, {
    dispatcher: harness.dispatcher,
    logger: silentLogger(),
    clock: { now: () => Date.now() },
    providerName: harness.providerName ?? def.id,
    endpoint: harness.endpoint ?? 'test-endpoint',
    model: harness.model,
  });
}

/** A CallContext for direct provider calls; pass a signal to test cancellation. */
export function callContext(overrides: Partial<CallContext> = {}): CallContext {
  return {
    signal: overrides.signal ?? new AbortController().signal,
    timeoutMs: overrides.timeoutMs ?? 30_000,
    requestId: overrides.requestId ?? 'test-request',
    log: overrides.log ?? silentLogger(),
  };
}

/** Drain an async iterable into an array. */
export async function collect<T>(iterable: AsyncIterable<T> | Promise<AsyncIterable<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of await iterable) out.push(item);
  return out;
}
