// The top-level `keys:` config key, resolved: the admin key and the declared keys come from
// the environment (`$VAR`), a key file or a literal, and are registered with the redactor.
// Only their hashes are kept.
import { createError } from '@gatehousejs/core';
import { parseExpiry } from './expiry.js';
import type { HashedKey, KeyLimits } from './key.js';
import { hashKey } from './token.js';

/** Shorter keys could be guessed; issued keys are 64 characters. */
export const MIN_KEY_LENGTH = 20;
const DEFAULT_REFRESH_SECONDS = 5;
/** Declared keys are named `config:<name>`: an issued key's id is 16 hex digits, so they never clash. */
const CONFIG_ID_PREFIX = 'config:';

interface ConfigKeyEntry {
  name: string;
  key: string;
  owner?: string;
  endpoints?: string[];
  expires_at?: string;
  limits?: KeyLimits;
}

/** The `keys:` key as the file gives it (already checked against keysConfigSchema). */
export interface KeysConfig {
  admin_key?: string;
  required?: boolean;
  refresh_seconds?: number;
  keys?: ConfigKeyEntry[];
}

export interface KeysSettings {
  readonly adminKeyHash: Buffer | undefined;
  /** Refuse callers without a key even while no key exists. */
  readonly required: boolean;
  readonly refreshMs: number;
  readonly keys: readonly HashedKey[];
}

export type ResolveSecret = (value: string, pointer: string) => Promise<string>;

function invalid(pointer: string, message: string): Error {
  return createError('GW_ERR_CONFIG_INVALID', `Invalid config: ${pointer}: ${message}`);
}

async function resolveKey(value: string, pointer: string, resolve: ResolveSecret): Promise<Buffer> {
  const text = await resolve(value, pointer);
  if (text.length < MIN_KEY_LENGTH) throw invalid(pointer, `must be at least ${MIN_KEY_LENGTH} characters (generate one with: openssl rand -base64 32)`);
  return hashKey(text);
}

export async function resolveSettings(raw: KeysConfig | undefined, resolve: ResolveSecret): Promise<KeysSettings> {
  const config = raw ?? {};
  const keys: HashedKey[] = [];
  const names = new Set<string>();
  for (const [i, entry] of (config.keys ?? []).entries()) {
    const pointer = `/keys/keys/${i}`;
    if (names.has(entry.name)) throw invalid(`${pointer}/name`, `"${entry.name}" is declared twice`);
    names.add(entry.name);
    const hash = await resolveKey(entry.key, `${pointer}/key`, resolve);
    if (keys.some((k) => k.hash.equals(hash))) throw invalid(`${pointer}/key`, 'the same key is declared twice');
    const expiresAt = entry.expires_at === undefined ? null : parseExpiry(entry.expires_at, 0, false);
    if (expiresAt instanceof Error) throw invalid(`${pointer}/expires_at`, expiresAt.message);
    keys.push({
      id: `${CONFIG_ID_PREFIX}${entry.name}`,
      hash,
      name: entry.name,
      owner: entry.owner ?? null,
      endpoints: entry.endpoints ?? null,
      limits: entry.limits ?? null,
      expiresAt,
      createdAt: 0,
      revokedAt: null,
      source: 'config',
    });
  }
  return {
    adminKeyHash: config.admin_key === undefined ? undefined : await resolveKey(config.admin_key, '/keys/admin_key', resolve),
    required: config.required ?? false,
    refreshMs: (config.refresh_seconds ?? DEFAULT_REFRESH_SECONDS) * 1000,
    keys,
  };
}
