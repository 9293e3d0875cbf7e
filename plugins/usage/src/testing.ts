// @gatehousejs/plugin-usage/testing: throwaway stores for the tests of every plugin that keeps
// data in the usage database (usage, keys, management, budgets): a SQLite directory or a
// PostgreSQL schema per run, removed after.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `gatehouse-${prefix}-test-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh schema name per run; `dropSchemas` removes them after. */
export function schemaName(prefix: string): string {
  return `${prefix}_test_${randomBytes(5).toString('hex')}`;
}

export async function withPg<T>(fn: (client: pg.Client) => Promise<T>, url: string = TEST_DATABASE_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropSchemas(...schemas: string[]): Promise<void> {
  await withPg(async (client) => {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
}
