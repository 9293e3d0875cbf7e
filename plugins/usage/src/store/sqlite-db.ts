// The SQLite store's synchronous half: better-sqlite3 calls, run only inside the worker thread
// (sqlite-worker.ts), so that no SQLite call ever blocks the gateway's event loop.
import Database from 'better-sqlite3';
import type { UsageRecord } from '../record.js';
import type { ListQuery, SummaryQuery } from '../query.js';
import { nearestRank, PERCENTILES } from '../summary.js';
import type { RawGroup, SqlValue } from './types.js';
import { checkVersion, COLUMNS, COMPONENT, groupExpression, migrations, rowToRecord, schemaVersionTable, whereClause } from './sql.js';

export interface SqlitePage {
  readonly records: UsageRecord[];
  readonly more: boolean;
}

/** better-sqlite3 binds no booleans. */
const bindable = (params: readonly SqlValue[]) => params.map((v) => (typeof v === 'boolean' ? Number(v) : v));

export class SqliteDb {
  private readonly db: Database.Database;
  private readonly insertRow: Database.Statement;
  private readonly insertMany: (rows: readonly (readonly unknown[])[]) => void;

  constructor(file: string) {
    this.db = new Database(file);
    // WAL lets readers (the CLI, another worker process) run while the gateway writes.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.migrate(COMPONENT, migrations(''));
    const placeholders = COLUMNS.map(() => '?').join(', ');
    this.insertRow = this.db.prepare(`INSERT INTO usage_records (${COLUMNS.join(', ')}) VALUES (${placeholders}) ON CONFLICT (record_id) DO NOTHING`);
    this.insertMany = this.db.transaction((rows: readonly (readonly unknown[])[]) => {
      for (const row of rows) this.insertRow.run(row);
    });
  }

  /** IMMEDIATE takes the write lock first: two gateway processes never migrate at once. */
  migrate(component: string, steps: readonly (readonly string[])[]): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.db.exec(schemaVersionTable(''));
      const row = this.db.prepare('SELECT version FROM schema_version WHERE component = ?').get(component) as { version: number } | undefined;
      const current = row?.version ?? 0;
      checkVersion(component, current, steps.length);
      for (let v = current; v < steps.length; v++) for (const sql of steps[v]!) this.db.exec(sql);
      if (current < steps.length) {
        this.db
          .prepare('INSERT INTO schema_version (component, version, applied_at) VALUES (?, ?, ?) ON CONFLICT (component) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at')
          .run(component, steps.length, Date.now());
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  query(sql: string, params: readonly SqlValue[]): unknown[] {
    return this.db.prepare(sql).all(...bindable(params));
  }

  execute(sql: string, params: readonly SqlValue[]): number {
    return this.db.prepare(sql).run(...bindable(params)).changes;
  }

  /** Rows in COLUMNS order, as `sqliteRow` makes them. */
  insert(rows: readonly (readonly unknown[])[]): void {
    this.insertMany(rows);
  }

  list(query: ListQuery): SqlitePage {
    const params: unknown[] = [];
    const where = whereClause(query, (v) => (params.push(v), '?'), query.cursor);
    const rows = this.db
      .prepare(`SELECT * FROM usage_records ${where} ORDER BY ts DESC, record_id DESC LIMIT ?`)
      .all(...params, query.limit + 1) as Record<string, unknown>[];
    return { records: rows.slice(0, query.limit).map(rowToRecord), more: rows.length > query.limit };
  }

  /** Both queries in one read transaction: another process's writes cannot fall between them. */
  summary(query: SummaryQuery): RawGroup[] {
    return this.db.transaction(() => this.summaryOnce(query))();
  }

  /** Aggregates in SQL; percentiles by nearest rank over each group's latencies, in one ordered pass. */
  private summaryOnce(query: SummaryQuery): RawGroup[] {
    const params: unknown[] = [];
    const where = whereClause(query, (v) => (params.push(v), '?'));
    const key = groupExpression(query.groupBy);
    const groups = this.db
      .prepare(
        `SELECT ${key} AS k, COUNT(*) AS requests, SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors,
          COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens, COALESCE(SUM(completion_tokens), 0) AS completion_tokens,
          COALESCE(SUM(total_tokens), 0) AS total_tokens, COALESCE(SUM(cost_nusd), 0) AS cost_nusd, COUNT(cost_nusd) AS priced
         FROM usage_records ${where} GROUP BY k`,
      )
      .all(...params) as (Record<string, unknown> & { k: string | number | null; requests: number })[];
    const state = new Map<string | number | null, { seen: number; ranks: number[]; values: number[] }>();
    for (const g of groups) state.set(g.k, { seen: 0, ranks: PERCENTILES.map((p) => nearestRank(p, g.requests)), values: [] });
    const latencies = this.db.prepare(`SELECT ${key} AS k, latency_ms FROM usage_records ${where} ORDER BY latency_ms`).raw(true);
    for (const [k, latency] of latencies.iterate(...params) as Iterable<[string | number | null, number]>) {
      const s = state.get(k)!;
      s.seen++;
      for (let i = 0; i < s.ranks.length; i++) if (s.ranks[i] === s.seen) s.values[i] = latency;
    }
    return groups.map((g) => {
      const [p50, p90, p99] = state.get(g.k)!.values as [number, number, number];
      return {
        key: g.k,
        requests: g.requests,
        errors: Number(g.errors),
        p50,
        p90,
        p99,
        prompt_tokens: Number(g.prompt_tokens),
        completion_tokens: Number(g.completion_tokens),
        total_tokens: Number(g.total_tokens),
        cost_nusd: Number(g.cost_nusd),
        priced: Number(g.priced),
      };
    });
  }

  close(): void {
    this.db.close();
  }
}
