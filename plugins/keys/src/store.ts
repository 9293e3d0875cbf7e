// Issued keys in the shared SQL store (the usage plugin's database): one row per key, the
// secret kept only as the SHA-256 of the key's text. Rows are never deleted: a revoked key
// keeps its row, so a revocation cannot be undone by accident and auth stays on.
import type { SqlStore } from '@gatehousejs/core';
import type { HashedKey, KeyLimits } from './key.js';

const COMPONENT = 'keys';

/** Migrations by version: append, never edit. */
const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE gateway_keys (
      key_id TEXT PRIMARY KEY,
      key_hash TEXT NOT NULL,
      name TEXT NOT NULL,
      owner TEXT,
      endpoints TEXT,
      limits TEXT,
      expires_at BIGINT,
      created_at BIGINT NOT NULL,
      revoked_at BIGINT
    )`,
  ],
];

const COLUMNS = 'key_id, key_hash, name, owner, endpoints, limits, expires_at, created_at, revoked_at';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const json = <T>(v: unknown): T | null => (v === null || v === undefined ? null : (JSON.parse(String(v)) as T));

function fromRow(row: Record<string, unknown>): HashedKey {
  return {
    id: String(row.key_id),
    hash: Buffer.from(String(row.key_hash), 'hex'),
    name: String(row.name),
    owner: row.owner === null || row.owner === undefined ? null : String(row.owner),
    endpoints: json<string[]>(row.endpoints),
    limits: json<KeyLimits>(row.limits),
    expiresAt: num(row.expires_at),
    createdAt: Number(row.created_at),
    revokedAt: num(row.revoked_at),
    source: 'store',
  };
}

export class KeyStore {
  private migrated: Promise<void> | undefined;

  constructor(private readonly sql: SqlStore) {}

  get location(): string {
    return `${this.sql.kind}: ${this.sql.location}`;
  }

  /** Create or upgrade the table; tried again on the next call after a failure. */
  private ready(): Promise<void> {
    this.migrated ??= this.sql.migrate(COMPONENT, MIGRATIONS).catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    return this.migrated;
  }

  async insert(key: HashedKey): Promise<void> {
    await this.ready();
    await this.sql.execute(`INSERT INTO gateway_keys (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      key.id,
      key.hash.toString('hex'),
      key.name,
      key.owner,
      key.endpoints === null ? null : JSON.stringify(key.endpoints),
      key.limits === null ? null : JSON.stringify(key.limits),
      key.expiresAt,
      key.createdAt,
      key.revokedAt,
    ]);
  }

  /** Every key, revoked ones included, oldest first. */
  async all(): Promise<HashedKey[]> {
    await this.ready();
    return (await this.sql.query(`SELECT ${COLUMNS} FROM gateway_keys ORDER BY created_at, key_id`)).map(fromRow);
  }

  async get(id: string): Promise<HashedKey | undefined> {
    await this.ready();
    const [row] = await this.sql.query(`SELECT ${COLUMNS} FROM gateway_keys WHERE key_id = ?`, [id]);
    return row ? fromRow(row) : undefined;
  }

  /** Revoke at `at`; a key already revoked keeps its first revocation time. Undefined: no such key. */
  async revoke(id: string, at: number): Promise<HashedKey | undefined> {
    await this.ready();
    await this.sql.execute('UPDATE gateway_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL', [at, id]);
    return this.get(id);
  }
}
