// Issue, list, read and revoke keys: what the admin routes and the CLI share. A local change
// is read back into the ring before it returns, so this instance applies it at once.
import { createError, isGatewayError } from '@gatehousejs/core';
import type { HashedKey, KeyInfo } from './key.js';
import type { KeyRing } from './keyring.js';
import type { KeyStore } from './store.js';
import type { KeySync } from './sync.js';
import { hashKey, newKey } from './token.js';
import { checkNewKey } from './validate.js';

export class KeyService {
  constructor(
    private readonly store: () => KeyStore,
    private readonly ring: KeyRing,
    private readonly sync: KeySync,
  ) {}

  get location(): string {
    return this.store().location;
  }

  /** The key's text is in the answer and nowhere else: show it once. */
  async create(input: unknown, now = Date.now()): Promise<{ key: string; info: KeyInfo }> {
    const checked = checkNewKey(input, now);
    const { id, key } = newKey();
    const record: HashedKey = { ...checked, id, hash: hashKey(key), createdAt: now, revokedAt: null, source: 'store' };
    await stored(() => this.store().insert(record));
    await this.sync.refresh();
    return { key, info: withoutHash(record) };
  }

  /** Declared keys first, then issued ones, oldest first. */
  async list(): Promise<KeyInfo[]> {
    return [...this.ring.configKeys(), ...(await stored(() => this.store().all()))].map(withoutHash);
  }

  async get(id: string): Promise<KeyInfo> {
    const key = this.ring.configKeys().find((k) => k.id === id) ?? (await stored(() => this.store().get(id)));
    if (!key) throw notFound(id);
    return withoutHash(key);
  }

  async revoke(id: string, now = Date.now()): Promise<KeyInfo> {
    if (this.ring.configKeys().some((k) => k.id === id)) {
      throw createError('GW_ERR_BAD_REQUEST', `Key "${id}" is declared in the config file: remove it there (the change applies on reload).`, { param: 'id' });
    }
    const key = await stored(() => this.store().revoke(id, now));
    if (!key) throw notFound(id);
    await this.sync.refresh();
    return withoutHash(key);
  }
}

/** A store failure is the store's, not the caller's: a 500 that says so. */
async function stored<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isGatewayError(error)) throw error;
    throw createError('GW_ERR_INTERNAL', `The key store failed: ${(error as Error).message}`, { cause: error });
  }
}

function notFound(id: string): Error {
  return createError('GW_ERR_ROUTE_NOT_FOUND', `No key with id "${id}".`, { param: 'id' });
}

function withoutHash(key: HashedKey): KeyInfo {
  const { hash: _hash, ...info } = key;
  return info;
}
