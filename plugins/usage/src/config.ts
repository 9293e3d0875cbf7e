// The top-level `usage:` config key: its schema (validated by core with the rest of the file)
// and the settings the plugin derives from it, defaults applied and paths resolved.
import os from 'node:os';
import path from 'node:path';
import { createError, type JSONSchema } from '@gatehousejs/core';
import type { PriceOverrides } from './prices.js';

export type StoreKind = 'sqlite' | 'postgres';

export interface UsageSettings {
  readonly enabled: boolean;
  readonly store: StoreKind;
  /** SQLite only: the database file. */
  readonly sqliteFile: string;
  /** PostgreSQL only: the resolved connection string (a secret: never log it). */
  readonly databaseUrl: string | undefined;
  /** PostgreSQL only: the schema holding the tables. */
  readonly schema: string;
  readonly recordBodies: boolean;
  readonly maxBodyBytes: number;
  readonly prices: PriceOverrides;
  readonly queueSize: number;
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  readonly metrics: boolean;
}

const priceSchema: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['input', 'output'],
  properties: {
    input: { type: 'number', minimum: 0 },
    output: { type: 'number', minimum: 0 },
    cached_input: { type: 'number', minimum: 0 },
  },
};

export const usageConfigSchema: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    store: { enum: ['sqlite', 'postgres'] },
    data_dir: { type: 'string', minLength: 1 },
    database_url: { type: 'string', minLength: 1 },
    schema: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$' },
    record_bodies: { type: 'boolean' },
    max_body_bytes: { type: 'integer', minimum: 256, maximum: 16_777_216 },
    prices: { type: 'object', additionalProperties: priceSchema },
    queue_size: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    // A PostgreSQL statement takes at most 65535 parameters: 2000 rows of 28 columns fit.
    batch_size: { type: 'integer', minimum: 1, maximum: 2000 },
    flush_interval_ms: { type: 'integer', minimum: 10, maximum: 3_600_000 },
    metrics: { type: 'boolean' },
  },
};

/** The `usage:` key as the file gives it (already validated against the schema above). */
export interface UsageConfig {
  enabled?: boolean;
  store?: StoreKind;
  data_dir?: string;
  database_url?: string;
  schema?: string;
  record_bodies?: boolean;
  max_body_bytes?: number;
  prices?: PriceOverrides;
  queue_size?: number;
  batch_size?: number;
  flush_interval_ms?: number;
  metrics?: boolean;
}

export const SQLITE_FILE_NAME = 'usage.sqlite';
const ENV_REF = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/;

/** `usage.data_dir`, else GATEHOUSE_DATA_DIR, else the XDG data directory: never the source tree. */
export function dataDir(configured: string | undefined, configDir: string, env: NodeJS.ProcessEnv): string {
  if (configured) return path.resolve(configDir, configured);
  if (env.GATEHOUSE_DATA_DIR) return path.resolve(env.GATEHOUSE_DATA_DIR);
  const xdg = env.XDG_DATA_HOME ? path.resolve(env.XDG_DATA_HOME) : path.join(os.homedir(), '.local', 'share');
  return path.join(xdg, 'gatehouse');
}

/** `$VAR` / `${VAR}` from the environment (an error naming the variable when unset), else a literal. */
function resolveUrl(value: string, env: NodeJS.ProcessEnv): string {
  const ref = ENV_REF.exec(value);
  if (!ref) return value;
  const resolved = env[ref[1]!];
  if (resolved === undefined || resolved === '') {
    throw createError('GW_ERR_SECRET_UNRESOLVED', `usage.database_url refers to the environment variable ${ref[1]}, which is not set.`);
  }
  return resolved;
}

export function resolveDatabaseUrl(raw: UsageConfig | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolveUrl(raw?.database_url ?? '$DATABASE_URL', env);
}

/**
 * Records per write. Queued records live in the main thread's heap until the store has them:
 * under load, 500 of them took about two young-generation collections to fill, so each batch
 * was copied and promoted to the old generation (1.3 MB per collection at ~2,800 req/s, the
 * collections' pauses 2–8 ms instead of ~1.5 ms). 100 fill in about a third of a collection's
 * interval whatever the rate (both grow with it), so they die young.
 */
export const DEFAULT_BATCH_SIZE = 100;

export function resolveSettings(raw: UsageConfig | undefined, configDir: string, env: NodeJS.ProcessEnv = process.env): UsageSettings {
  const config = raw ?? {};
  const store = config.store ?? 'sqlite';
  const enabled = config.enabled ?? true;
  return {
    enabled,
    store,
    sqliteFile: path.join(dataDir(config.data_dir, configDir, env), SQLITE_FILE_NAME),
    // Only a PostgreSQL store needs the URL; an unset $DATABASE_URL is an error only then (or
    // when another plugin uses the store with tracking disabled: resolveDatabaseUrl).
    databaseUrl: store === 'postgres' && enabled ? resolveDatabaseUrl(config, env) : undefined,
    schema: config.schema ?? 'public',
    recordBodies: config.record_bodies ?? false,
    maxBodyBytes: config.max_body_bytes ?? 65_536,
    prices: config.prices ?? {},
    queueSize: config.queue_size ?? 10_000,
    batchSize: config.batch_size ?? DEFAULT_BATCH_SIZE,
    flushIntervalMs: config.flush_interval_ms ?? 1000,
    metrics: config.metrics ?? true,
  };
}

/** Settings that pick the store: changing them needs a restart. */
export function storeIdentity(s: UsageSettings): string {
  return JSON.stringify([s.store, s.sqliteFile, s.databaseUrl, s.schema]);
}
