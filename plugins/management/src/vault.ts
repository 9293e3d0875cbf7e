// Stored provider secrets: sealed with the master key on write, opened only when an endpoint is
// built (the `$secret:NAME` resolver). Listings carry metadata and a mask, never a value.
import { randomUUID } from 'node:crypto';
import { createError, type Clock, type SecretResolver } from '@gatehousejs/core';
import { open, seal } from './cipher.js';
import { HOW_TO_SET, type MasterKey } from './master-key.js';
import type { ManagementStore, StoredSecret } from './store.js';

export interface SecretView {
  readonly name: string;
  readonly mask: string;
  readonly key_fingerprint: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export const secretView = (s: StoredSecret): SecretView => ({
  name: s.name,
  mask: s.mask,
  key_fingerprint: s.keyFingerprint,
  created_at: new Date(s.createdAt).toISOString(),
  updated_at: new Date(s.updatedAt).toISOString(),
});

/** Enough to tell two keys apart in a listing: the last 4 characters of a long value only. */
const maskOf = (value: string) => (value.length >= 16 ? `****${value.slice(-4)}` : '****');

export class Vault implements SecretResolver {
  master: MasterKey | undefined;
  /** The rows as last loaded, by name. */
  rows = new Map<string, StoredSecret>();

  constructor(
    private readonly store: () => ManagementStore,
    private readonly clock: Clock,
  ) {}

  private requireMaster(): MasterKey {
    if (!this.master) throw createError('GW_ERR_FORBIDDEN', `The gateway has no master key, so it stores no secrets: ${HOW_TO_SET}.`);
    return this.master;
  }

  async resolve(name: string): Promise<string | undefined> {
    const row = this.rows.get(name);
    if (!row) return undefined;
    return open(this.requireMaster(), row.id, row.name, row);
  }

  /** A new IV on every write: the stamp moves whenever the value may have. */
  stamp(name: string): string | undefined {
    return this.rows.get(name)?.iv;
  }

  async create(name: string, value: string): Promise<StoredSecret> {
    const master = this.requireMaster();
    const id = randomUUID();
    const now = this.clock.now();
    const row: StoredSecret = { id, name, mask: maskOf(value), createdAt: now, updatedAt: now, ...seal(master, id, name, value) };
    if (!(await this.store().insertSecret(row))) throw createError('GW_ERR_BAD_REQUEST', `A secret named "${name}" exists: rotate it with PUT /api/admin/secrets/${name}.`, { status: 409, param: 'name' });
    this.rows.set(name, row);
    return row;
  }

  async rotate(name: string, value: string): Promise<StoredSecret> {
    const master = this.requireMaster();
    const old = this.get(name);
    const row: StoredSecret = { ...old, mask: maskOf(value), updatedAt: this.clock.now(), ...seal(master, old.id, old.name, value) };
    if (!(await this.store().updateSecret(row))) throw notFound(name);
    this.rows.set(name, row);
    return row;
  }

  get(name: string): StoredSecret {
    const row = this.rows.get(name);
    if (!row) throw notFound(name);
    return row;
  }

  async remove(name: string): Promise<StoredSecret> {
    const row = this.get(name);
    if (!(await this.store().deleteSecret(name))) throw notFound(name);
    this.rows.delete(name);
    return row;
  }

  /**
   * Re-encrypt every secret still under the current key with `next`, in one UPDATE statement (all
   * or none). Resolves to how many changed and how many remain under another key (run it again).
   */
  async rotateMaster(next: MasterKey): Promise<{ changed: number; remaining: number }> {
    const master = this.requireMaster();
    const rows = (await this.store().secrets()).filter((r) => r.keyFingerprint === master.fingerprint);
    const resealed = rows.map((r) => ({ id: r.id, ...seal(next, r.id, r.name, open(master, r.id, r.name, r)) }));
    const changed = await this.store().reseal(resealed, master.fingerprint);
    const remaining = (await this.store().secrets()).filter((r) => r.keyFingerprint !== next.fingerprint).length;
    return { changed, remaining };
  }
}

function notFound(name: string): Error {
  return createError('GW_ERR_ENDPOINT_NOT_FOUND', `No stored secret named "${name}".`, { param: 'name' });
}
