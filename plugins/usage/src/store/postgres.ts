// The store for many gateway instances: PostgreSQL through a small pg Pool. Every instance
// migrates on first use, serialised by an advisory lock; inserts skip records already stored,
// so a batch retried after a lost COMMIT acknowledgement is not counted twice.
import { createRequire } from 'node:module';
import type pg from 'pg';
import type { Logger } from 'winston';
import { PERCENTILES, finishSummary } from '../summary.js';
import { TIME_BUCKET_MS } from '../groups.js';
import type { ListQuery, SummaryQuery } from '../query.js';
import type { UsageRecord } from '../record.js';
import type { RawGroup, RecordPage, SqlStore, SqlValue, SummaryGroup, UsageStore } from './types.js';
import { checkVersion, COLUMNS, COMPONENT, groupExpression, migrations, numberedPlaceholders, recordValues, rowToRecord, schemaVersionTable, whereClause } from './sql.js';

const ID = 'record_id COLLATE "C"';

// pg (~15 MB resident) is loaded only when the PostgreSQL store is used, not by every gateway.
const require = createRequire(import.meta.url);
const loadPg = (): typeof pg => require('pg') as typeof pg;

/** host:port/database from a connection string: never the user's password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `postgresql://${u.host}${u.pathname}`;
  } catch {
    return 'postgresql (unparsable URL)';
  }
}

export class PostgresStore implements UsageStore, SqlStore {
  readonly kind = 'postgres' as const;
  readonly location: string;
  private readonly pool: pg.Pool;
  private readonly t: string;
  private migrated: Promise<void> | undefined;

  constructor(url: string, private readonly schema: string, log: Logger) {
    this.location = `${describeUrl(url)} (schema ${schema})`;
    this.t = `"${schema}".`;
    // Bounded waits everywhere: a store that hangs must fail the batch (it is retried), not stall the writer.
    this.pool = new (loadPg().Pool)({
      connectionString: url,
      max: 4,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 10_000,
      statement_timeout: 15_000,
      query_timeout: 20_000,
      application_name: 'gatehouse-usage',
      // Other components' SQL (the `sql` store) names its tables unqualified: they live in this schema.
      options: `-c search_path=${schema}`,
    });
    // An idle connection dropped by the server must not crash the gateway; the next query reconnects.
    this.pool.on('error', (error) => log.warn('usage store: idle PostgreSQL connection failed', { error: error.message }));
  }

  open(): Promise<void> {
    this.migrated ??= this.migrateUsage().catch((error: unknown) => {
      this.migrated = undefined; // try again on the next call
      throw error;
    });
    return this.migrated;
  }

  private migrateUsage(): Promise<void> {
    return this.migrateComponent(COMPONENT, migrations(this.t));
  }

  /** One transaction under an advisory lock per component and schema: instances migrate one at a time. */
  private async migrateComponent(component: string, steps: readonly (readonly string[])[]): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`gatehouse:${component}:${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await client.query(schemaVersionTable(this.t));
      const { rows } = await client.query(`SELECT version FROM ${this.t}schema_version WHERE component = $1`, [component]);
      const current = rows.length === 0 ? 0 : Number(rows[0].version);
      checkVersion(component, current, steps.length);
      for (let v = current; v < steps.length; v++) for (const sql of steps[v]!) await client.query(sql);
      if (current < steps.length) {
        await client.query(
          `INSERT INTO ${this.t}schema_version (component, version, applied_at) VALUES ($1, $2, $3)
           ON CONFLICT (component) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at`,
          [component, steps.length, Date.now()],
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      broken = error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Another component's tables, in the same schema (created with the usage tables first). */
  async migrate(component: string, steps: readonly (readonly string[])[]): Promise<void> {
    await this.open();
    await this.migrateComponent(component, steps);
  }

  async query<Row = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    await this.open();
    return (await this.pool.query(numberedPlaceholders(sql), [...params])).rows as Row[];
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    await this.open();
    return (await this.pool.query(numberedPlaceholders(sql), [...params])).rowCount ?? 0;
  }

  async insert(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.open();
    const values: unknown[] = [];
    const rows = records.map((r) => {
      const start = values.length;
      values.push(...recordValues(r, (b) => b));
      return `(${COLUMNS.map((_, i) => `$${start + i + 1}`).join(', ')})`;
    });
    await this.pool.query(`INSERT INTO ${this.t}usage_records (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')} ON CONFLICT (record_id) DO NOTHING`, values);
  }

  async list(query: ListQuery): Promise<RecordPage> {
    await this.open();
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    const where = whereClause(query, param, query.cursor, ID);
    const { rows } = await this.pool.query(`SELECT * FROM ${this.t}usage_records ${where} ORDER BY ts DESC, ${ID} DESC LIMIT ${param(query.limit + 1)}`, params);
    const records = rows.slice(0, query.limit).map(rowToRecord);
    const last = records.at(-1);
    return { records, next: rows.length > query.limit && last ? { ts: last.ts, id: last.id } : null };
  }

  /** percentile_disc is nearest rank, the definition the SQLite store computes (summary.ts). */
  async summary(query: SummaryQuery): Promise<SummaryGroup[]> {
    await this.open();
    const params: unknown[] = [];
    const where = whereClause(query, (v) => `$${params.push(v)}`);
    const { rows } = await this.pool.query(
      `SELECT ${groupExpression(query.groupBy)} AS k, count(*) AS requests, count(*) FILTER (WHERE status >= 400) AS errors,
        percentile_disc(ARRAY[${PERCENTILES.join(', ')}]::float8[]) WITHIN GROUP (ORDER BY latency_ms) AS pct,
        COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens, COALESCE(SUM(completion_tokens), 0) AS completion_tokens,
        COALESCE(SUM(total_tokens), 0) AS total_tokens, COALESCE(SUM(cost_nusd), 0) AS cost_nusd, count(cost_nusd) AS priced
       FROM ${this.t}usage_records ${where} GROUP BY 1`,
      params,
    );
    const timed = TIME_BUCKET_MS[query.groupBy] !== undefined;
    const groups: RawGroup[] = rows.map((r) => {
      const [p50, p90, p99] = r.pct as number[];
      return {
        key: r.k === null ? null : timed ? Number(r.k) : String(r.k),
        requests: Number(r.requests),
        errors: Number(r.errors),
        p50: p50!,
        p90: p90!,
        p99: p99!,
        prompt_tokens: Number(r.prompt_tokens),
        completion_tokens: Number(r.completion_tokens),
        total_tokens: Number(r.total_tokens),
        cost_nusd: Number(r.cost_nusd),
        priced: Number(r.priced),
      };
    });
    return finishSummary(groups, query.groupBy);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
