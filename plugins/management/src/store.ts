// Runtime endpoints and routes, encrypted secrets and the audit log in the shared SQL store (the
// usage plugin's database). A single change counter tells other gateway instances to reload.
import type { SqlStore, SqlValue } from '@gatehousejs/core';
import type { Sealed } from './cipher.js';

const COMPONENT = 'management';

/** Migrations by version: append, never edit. */
const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE management_entries (
      kind TEXT NOT NULL,
      name TEXT NOT NULL,
      body TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      PRIMARY KEY (kind, name)
    )`,
    `CREATE TABLE management_secrets (
      secret_id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      ciphertext TEXT NOT NULL,
      iv TEXT NOT NULL,
      tag TEXT NOT NULL,
      key_fingerprint TEXT NOT NULL,
      mask TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    )`,
    `CREATE TABLE management_audit (
      audit_id TEXT PRIMARY KEY,
      at BIGINT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      detail TEXT
    )`,
    'CREATE INDEX management_audit_at ON management_audit (at, audit_id)',
    'CREATE TABLE management_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)',
    'INSERT INTO management_version (id, version) VALUES (1, 0)',
  ],
];

export type EntryKind = 'endpoint' | 'route';

export interface StoredEntry {
  readonly kind: EntryKind;
  readonly name: string;
  readonly body: Record<string, unknown>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface StoredSecret extends Sealed {
  readonly id: string;
  readonly name: string;
  readonly mask: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface AuditEntry {
  readonly id: string;
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly detail: Record<string, unknown> | null;
}

const SECRET_COLUMNS = 'secret_id, name, ciphertext, iv, tag, key_fingerprint, mask, created_at, updated_at';

const secretOf = (r: Record<string, unknown>): StoredSecret => ({
  id: String(r.secret_id),
  name: String(r.name),
  ciphertext: String(r.ciphertext),
  iv: String(r.iv),
  tag: String(r.tag),
  keyFingerprint: String(r.key_fingerprint),
  mask: String(r.mask),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export class ManagementStore {
  private migrated: Promise<void> | undefined;

  constructor(private readonly sql: SqlStore) {}

  /** Create or upgrade the tables; tried again on the next call after a failure. */
  private async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    await this.ready();
    return this.sql.execute(sql, params);
  }

  private async rows(sql: string, params: readonly SqlValue[] = []): Promise<Record<string, unknown>[]> {
    await this.ready();
    return this.sql.query(sql, params);
  }

  private ready(): Promise<void> {
    this.migrated ??= this.sql.migrate(COMPONENT, MIGRATIONS).catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    return this.migrated;
  }

  async version(): Promise<number> {
    const [row] = await this.rows('SELECT version FROM management_version WHERE id = 1');
    return Number(row?.version ?? 0);
  }

  /** Tell every instance (this one included) that something changed. */
  async bump(): Promise<void> {
    await this.run('UPDATE management_version SET version = version + 1 WHERE id = 1');
  }

  async entries(): Promise<StoredEntry[]> {
    const rows = await this.rows('SELECT kind, name, body, created_at, updated_at FROM management_entries ORDER BY created_at, name');
    return rows.map((r) => ({ kind: String(r.kind) as EntryKind, name: String(r.name), body: JSON.parse(String(r.body)) as Record<string, unknown>, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) }));
  }

  /** Insert; false when the name is taken. */
  async insertEntry(kind: EntryKind, name: string, body: object, at: number): Promise<boolean> {
    const changed = await this.run(
      `INSERT INTO management_entries (kind, name, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, name) DO NOTHING`,
      [kind, name, JSON.stringify(body), at, at],
    );
    return changed > 0;
  }

  async updateEntry(kind: EntryKind, name: string, body: object, at: number): Promise<boolean> {
    return (await this.run('UPDATE management_entries SET body = ?, updated_at = ? WHERE kind = ? AND name = ?', [JSON.stringify(body), at, kind, name])) > 0;
  }

  async deleteEntry(kind: EntryKind, name: string): Promise<boolean> {
    return (await this.run('DELETE FROM management_entries WHERE kind = ? AND name = ?', [kind, name])) > 0;
  }

  async secrets(): Promise<StoredSecret[]> {
    return (await this.rows(`SELECT ${SECRET_COLUMNS} FROM management_secrets ORDER BY name`)).map(secretOf);
  }

  async insertSecret(s: StoredSecret): Promise<boolean> {
    const changed = await this.run(
      `INSERT INTO management_secrets (${SECRET_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`,
      [s.id, s.name, s.ciphertext, s.iv, s.tag, s.keyFingerprint, s.mask, s.createdAt, s.updatedAt],
    );
    return changed > 0;
  }

  async updateSecret(s: StoredSecret): Promise<boolean> {
    const changed = await this.run(
      'UPDATE management_secrets SET ciphertext = ?, iv = ?, tag = ?, key_fingerprint = ?, mask = ?, updated_at = ? WHERE secret_id = ?',
      [s.ciphertext, s.iv, s.tag, s.keyFingerprint, s.mask, s.updatedAt, s.id],
    );
    return changed > 0;
  }

  async deleteSecret(name: string): Promise<boolean> {
    return (await this.run('DELETE FROM management_secrets WHERE name = ?', [name])) > 0;
  }

  /**
   * Re-encrypted rows, all or none: one UPDATE statement (atomic in both engines), and only
   * where the row is still under the old key. Resolves to how many rows changed.
   */
  async reseal(rows: readonly (Sealed & { id: string })[], oldFingerprint: string): Promise<number> {
    if (rows.length === 0) return 0;
    const cases = () => `CASE secret_id ${rows.map(() => 'WHEN ? THEN ?').join(' ')} END`;
    const params: SqlValue[] = [];
    for (const column of ['ciphertext', 'iv', 'tag', 'keyFingerprint'] as const) for (const r of rows) params.push(r.id, r[column]);
    params.push(oldFingerprint, ...rows.map((r) => r.id));
    return this.run(
      `UPDATE management_secrets SET ciphertext = ${cases()}, iv = ${cases()}, tag = ${cases()}, key_fingerprint = ${cases()}
       WHERE key_fingerprint = ? AND secret_id IN (${rows.map(() => '?').join(', ')})`,
      params,
    );
  }

  async audit(entry: AuditEntry): Promise<void> {
    await this.run('INSERT INTO management_audit (audit_id, at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)', [
      entry.id,
      entry.at,
      entry.actor,
      entry.action,
      entry.target,
      entry.detail === null ? null : JSON.stringify(entry.detail),
    ]);
  }

  /** Newest first; `before` continues a page from an entry's (at, id). */
  async auditPage(limit: number, before?: { at: number; id: string }): Promise<AuditEntry[]> {
    const where = before ? 'WHERE at < ? OR (at = ? AND audit_id < ?)' : '';
    const params: SqlValue[] = before ? [before.at, before.at, before.id] : [];
    const rows = await this.rows(`SELECT audit_id, at, actor, action, target, detail FROM management_audit ${where} ORDER BY at DESC, audit_id DESC LIMIT ?`, [...params, limit]);
    return rows.map((r) => ({
      id: String(r.audit_id),
      at: Number(r.at),
      actor: String(r.actor),
      action: String(r.action),
      target: String(r.target),
      detail: r.detail === null || r.detail === undefined ? null : (JSON.parse(String(r.detail)) as Record<string, unknown>),
    }));
  }
}
