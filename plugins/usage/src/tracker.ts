// Ties the pieces together for one gateway: the live settings, the store, the writer and the
// metrics. Everything that runs on a request (observe, chunk) is synchronous, O(1) and never
// throws into the pipeline.
import { createError, type RequestContext, type StreamChunk } from '@gatehousejs/core';
import type { Logger } from 'winston';
import { resolveDatabaseUrl, resolveSettings, storeIdentity, type UsageConfig, type UsageSettings } from './config.js';
import { UsageMetrics } from './metrics.js';
import { PriceBook, type PriceLookup } from './prices.js';
import { buildRecord, type StreamTally } from './record.js';
import { PostgresStore } from './store/postgres.js';
import { SqliteStore } from './store/sqlite.js';
import type { SqlStore, SqlValue, UsageStore } from './store/types.js';
import { Writer } from './writer.js';

export const STATE_KEY = 'usage';
/** How long start-up waits for the store before going on without it (records queue meanwhile). */
const OPEN_TIMEOUT_MS = 10_000;
/** Shutdown gives the store this long to take the queue (core's close hook allows 30 s). */
const FLUSH_TIMEOUT_MS = 20_000;

interface RequestState {
  counted: boolean;
  tally: StreamTally | undefined;
}

export interface TrackerDeps {
  readonly log: Logger;
  readonly configDir: string;
  readonly redact: <T>(value: T) => T;
  readonly env?: NodeJS.ProcessEnv;
}

export class UsageTracker {
  readonly metrics = new UsageMetrics(() => this.writer?.depth ?? 0);
  private settingsRef: UsageSettings | undefined;
  private prices = new PriceBook();
  private storeRef: (UsageStore & SqlStore) | undefined;
  private raw: UsageConfig | undefined;
  private writer: Writer | undefined;
  private identity: string | undefined;
  private failuresLogged = 0;

  /** The `sql` store other plugins use: the usage database, whether or not tracking is enabled. */
  readonly sql: SqlStore;
  /** The `prices` store: the bundled table with `usage.prices`, as costs are recorded. */
  readonly priceLookup: PriceLookup = { lookup: (provider, model) => this.prices.lookup(provider, model) };

  constructor(private readonly deps: TrackerDeps) {
    const store = () => this.store();
    this.sql = {
      get kind() {
        return store().kind;
      },
      get location() {
        return store().location;
      },
      migrate: (component, steps) => store().migrate(component, steps),
      query: <Row>(sql: string, params?: readonly SqlValue[]) => store().query<Row>(sql, params),
      execute: (sql, params) => store().execute(sql, params),
    };
  }

  get settings(): UsageSettings {
    if (!this.settingsRef) throw createError('GW_ERR_INTERNAL', 'usage settings read before the config was loaded');
    return this.settingsRef;
  }

  /** Start-up (before ready) and every hot reload. Store settings apply at the next restart. */
  configure(raw: UsageConfig | undefined): void {
    const next = resolveSettings(raw, this.deps.configDir, this.deps.env);
    this.raw = raw;
    const identity = storeIdentity(next);
    if (this.identity !== undefined && identity !== this.identity) {
      this.deps.log.warn('usage: the store settings changed (store, data_dir, database_url or schema): restart the gateway to apply them; other usage settings apply now');
    }
    this.identity ??= identity;
    if (this.settingsRef && next.enabled && !this.writer) {
      this.deps.log.warn('usage: tracking was disabled at start-up: restart the gateway to enable it');
    }
    this.settingsRef = next;
    if (next.metrics) this.metrics.enableProcessMetrics();
    this.prices = new PriceBook(next.prices);
    this.writer?.configure(next);
  }

  /** At `ready`: create the store and the writer, and try to open the store. */
  async start(): Promise<void> {
    const s = this.settings;
    if (!s.enabled) return;
    const store = this.store();
    this.writer = new Writer(store, s, this.deps.log, {
      dropped: (n) => this.metrics.recordsDropped(n),
      storeFailed: () => this.metrics.storeFailed(),
    });
    this.writer.start();
    try {
      await withTimeout(store.open(), OPEN_TIMEOUT_MS);
      this.deps.log.info('usage store ready', { store: store.kind, location: store.location });
    } catch (error) {
      // A store that is down must not keep the gateway from serving: records queue until it is back.
      this.deps.log.error('usage store unavailable at start-up; records are queued and written when it is back', {
        store: store.kind,
        location: store.location,
        error: (error as Error).message,
      });
    }
  }

  /**
   * The store, created on first use (no I/O until called). With tracking disabled it exists only
   * if another plugin uses the `sql` store, with the settings of its first use.
   */
  private store(): UsageStore & SqlStore {
    if (this.storeRef) return this.storeRef;
    const s = this.settings;
    this.storeRef =
      s.store === 'postgres'
        ? new PostgresStore(s.databaseUrl ?? resolveDatabaseUrl(this.raw, this.deps.env), s.schema, this.deps.log)
        : new SqliteStore(s.sqliteFile);
    return this.storeRef;
  }

  requestStarted(ctx: RequestContext): void {
    this.metrics.requestStarted();
    ctx.state.set(STATE_KEY, { counted: true, tally: undefined } satisfies RequestState);
  }

  /** transformChunk (hot path, synchronous): count streamed characters for an estimate if no usage comes. */
  chunk(chunk: StreamChunk, ctx: RequestContext): StreamChunk {
    try {
      let state = ctx.state.get(STATE_KEY) as RequestState | undefined;
      if (!state) ctx.state.set(STATE_KEY, (state = { counted: false, tally: undefined }));
      const tally = (state.tally ??= { chars: 0, text: this.settingsRef?.recordBodies ? [] : undefined });
      for (const choice of (chunk.choices ?? []) as { delta?: { content?: unknown }; text?: unknown }[]) {
        const piece = choice.delta ? choice.delta.content : choice.text;
        if (typeof piece === 'string' && piece.length > 0) {
          tally.chars += piece.length;
          tally.text?.push(piece);
        }
      }
    } catch (error) {
      this.warn(error);
    }
    return chunk;
  }

  /** onResponse: build the record, update metrics, queue it. Never throws. */
  observe(ctx: RequestContext): void {
    try {
      const state = ctx.state.get(STATE_KEY) as RequestState | undefined;
      if (state?.counted) this.metrics.requestEnded();
      const s = this.settingsRef;
      const write = s?.enabled === true && this.writer !== undefined;
      if (!s || (!s.metrics && !write)) return;
      const record = buildRecord(ctx, state?.tally, { prices: this.prices, recordBodies: s.recordBodies, maxBodyBytes: s.maxBodyBytes, redact: this.deps.redact });
      if (s.metrics) this.metrics.observe(ctx, record);
      if (write) this.writer!.push(record);
    } catch (error) {
      this.warn(error);
    }
  }

  /** Observers swallow their errors, but say so (a few times, not once per request). */
  private warn(error: unknown): void {
    if (this.failuresLogged++ < 10) this.deps.log.warn('usage: failed to record a request', { error: (error as Error).message });
  }

  /** The store for the read side; a clear error when tracking is off. */
  async readStore(): Promise<UsageStore> {
    if (!this.writer || !this.storeRef) throw createError('GW_ERR_NOT_IMPLEMENTED', 'Usage tracking is disabled (usage.enabled is false).');
    try {
      await this.storeRef.open();
    } catch (error) {
      throw createError('GW_ERR_INTERNAL', `The usage store is unavailable: ${(error as Error).message}`, { cause: error });
    }
    return this.storeRef;
  }

  /** `close` hook: write what is queued (requests have drained by now). */
  async flush(): Promise<void> {
    await this.writer?.flush(performance.now() + FLUSH_TIMEOUT_MS);
  }

  async close(): Promise<void> {
    const store = this.storeRef;
    this.storeRef = undefined;
    await store?.close();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
