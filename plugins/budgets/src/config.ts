// The top-level `budgets:` key: its schema (validated by core with the rest of the file) and
// the settings derived from it, secrets resolved.
import { createError, type JSONSchema } from '@gatehousejs/core';
import { COUNTER_STORE_PROPERTIES } from '@gatehousejs/plugin-rate-limit';
import { BUDGET_WINDOWS, isTimeZone, type BudgetWindow } from './calendar.js';

export type Scope = { readonly type: 'gateway' } | { readonly type: 'key'; readonly key: string } | { readonly type: 'endpoint'; readonly endpoint: string };
export type Action = 'reject' | 'alert';

export interface Webhook {
  /** Resolved (it may hold a token: never log it). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface BudgetSpec {
  readonly name: string;
  readonly amountUsd: number;
  readonly window: BudgetWindow;
  readonly timeZone: string;
  readonly scope: Scope;
  readonly action: Action;
  readonly webhook: Webhook | undefined;
}

export interface AlertSettings {
  readonly attempts: number;
  readonly backoffMs: number;
  readonly timeoutMs: number;
}

export interface Settings {
  readonly store: 'memory' | 'redis';
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly redisTimeoutMs: number;
  /** Output reserved for a request without max_tokens on an endpoint without max_output_tokens. */
  readonly maxOutputTokens: number;
  readonly alerts: AlertSettings;
  readonly budgets: readonly BudgetSpec[];
}

const name: JSONSchema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' };

const budgetSchema: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'amount_usd', 'window', 'scope'],
  properties: {
    name,
    amount_usd: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 },
    window: { enum: [...BUDGET_WINDOWS] },
    time_zone: { type: 'string', minLength: 1 },
    scope: {
      oneOf: [
        { const: 'gateway' },
        { type: 'object', additionalProperties: false, required: ['key'], properties: { key: { type: 'string', minLength: 1 } } },
        { type: 'object', additionalProperties: false, required: ['endpoint'], properties: { endpoint: { type: 'string', minLength: 1 } } },
      ],
    },
    action: { enum: ['reject', 'alert'] },
    webhook: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: { url: { type: 'string', minLength: 1 }, headers: { type: 'object', additionalProperties: { type: 'string' } } },
    },
  },
};

export const budgetsSchema: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...COUNTER_STORE_PROPERTIES,
    time_zone: { type: 'string', minLength: 1 },
    max_output_tokens: { type: 'integer', minimum: 0 },
    alerts: {
      type: 'object',
      additionalProperties: false,
      properties: {
        attempts: { type: 'integer', minimum: 1, maximum: 20 },
        backoff_ms: { type: 'integer', minimum: 1, maximum: 600_000 },
        timeout_ms: { type: 'integer', minimum: 100, maximum: 60_000 },
      },
    },
    limits: { type: 'array', items: budgetSchema },
  },
};

interface RawBudget {
  name: string;
  amount_usd: number;
  window: BudgetWindow;
  time_zone?: string;
  scope: 'gateway' | { key: string } | { endpoint: string };
  action?: Action;
  webhook?: { url: string; headers?: Record<string, string> };
}

export interface BudgetsConfig {
  store?: 'memory' | 'redis';
  redis_url?: string;
  redis_prefix?: string;
  redis_timeout_ms?: number;
  time_zone?: string;
  max_output_tokens?: number;
  alerts?: { attempts?: number; backoff_ms?: number; timeout_ms?: number };
  limits?: RawBudget[];
}

/** Resolves `$ENV`, key files and literals, registering the value with the redactor. */
export type SecretResolver = (value: string, pointer: string) => Promise<string>;

export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

export async function resolveSettings(raw: BudgetsConfig | undefined, redisUrl: string, resolveSecret: SecretResolver): Promise<Settings> {
  const config = raw ?? {};
  const defaultZone = config.time_zone ?? 'UTC';
  const budgets: BudgetSpec[] = [];
  const names = new Set<string>();
  for (const [i, b] of (config.limits ?? []).entries()) {
    const at = `/budgets/limits/${i}`;
    if (names.has(b.name)) throw invalid(`${at}/name: two budgets are named "${b.name}"`);
    names.add(b.name);
    const timeZone = b.time_zone ?? defaultZone;
    if (!isTimeZone(timeZone)) throw invalid(`${b.time_zone ? `${at}/time_zone` : '/budgets/time_zone'}: "${timeZone}" is not an IANA time zone (e.g. Europe/Paris, America/New_York, UTC)`);
    const action = b.action ?? 'reject';
    if (action === 'alert' && !b.webhook) throw invalid(`${at}: an alert budget needs a webhook (webhook.url)`);
    budgets.push({ name: b.name, amountUsd: b.amount_usd, window: b.window, timeZone, scope: scopeOf(b.scope), action, webhook: b.webhook && (await webhookOf(b.webhook, `${at}/webhook`, resolveSecret)) });
  }
  return {
    store: config.store ?? 'memory',
    redisUrl,
    redisPrefix: config.redis_prefix ?? 'gatehouse:budget:',
    redisTimeoutMs: config.redis_timeout_ms ?? 500,
    maxOutputTokens: config.max_output_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    alerts: { attempts: config.alerts?.attempts ?? 5, backoffMs: config.alerts?.backoff_ms ?? 1000, timeoutMs: config.alerts?.timeout_ms ?? 5000 },
    budgets,
  };
}

/** Settings that pick the store: a change needs a restart. */
export function storeIdentity(s: Settings): string {
  return JSON.stringify([s.store, s.store === 'redis' ? [s.redisUrl, s.redisPrefix, s.redisTimeoutMs] : []]);
}

function scopeOf(scope: RawBudget['scope']): Scope {
  if (scope === 'gateway') return { type: 'gateway' };
  return 'key' in scope ? { type: 'key', key: scope.key } : { type: 'endpoint', endpoint: scope.endpoint };
}

async function webhookOf(raw: NonNullable<RawBudget['webhook']>, pointer: string, resolveSecret: SecretResolver): Promise<Webhook> {
  const url = await resolveSecret(raw.url, `${pointer}/url`);
  if (!/^https?:\/\//i.test(url)) throw invalid(`${pointer}/url: must be an http(s) URL`);
  const headers: Record<string, string> = {};
  for (const [header, value] of Object.entries(raw.headers ?? {})) headers[header.toLowerCase()] = await resolveSecret(value, `${pointer}/headers/${header}`);
  return { url, headers };
}

function invalid(message: string) {
  return createError('GW_ERR_CONFIG_INVALID', `Invalid budgets config: ${message}.`);
}
