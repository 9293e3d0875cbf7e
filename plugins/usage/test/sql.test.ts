// The `sql` store other plugins keep their tables in: one SQL text on both engines (`?`
// placeholders), migrations recorded per component, available with tracking disabled; and the
// `admin-guard` store guarding the read routes.
import { expect } from 'chai';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import { createError, definePlugin, type AdminGuard, type SqlStore } from '@gatehousejs/core';
import { startTestGateway } from '@gatehousejs/core/testing';
import mock from '@gatehousejs/provider-mock';
import winston from 'winston';
import usage, { PostgresStore, SqliteStore } from '../src/index.js';
import { dropSchemas, ENDPOINTS, getJson, PG_URL, schemaName, tempDir, withPg } from './helpers.js';

const STEPS = [
  ['CREATE TABLE widgets (id TEXT PRIMARY KEY, n BIGINT NOT NULL, ok BOOLEAN NOT NULL, note TEXT)'],
  ['CREATE INDEX widgets_n ON widgets (n)'],
];

async function exercise(sql: SqlStore & { close(): Promise<void> }): Promise<void> {
  await sql.migrate('widgets', STEPS);
  await sql.migrate('widgets', STEPS); // already there: nothing to do
  expect(await sql.execute('INSERT INTO widgets (id, n, ok, note) VALUES (?, ?, ?, ?)', ['a', 2 ** 40, true, null])).to.equal(1);
  expect(await sql.execute("INSERT INTO widgets (id, n, ok, note) VALUES (?, ?, ?, 'why?')", ['b', 7, false])).to.equal(1);
  const rows = await sql.query<{ id: string; n: unknown; ok: unknown; note: string | null }>('SELECT id, n, ok, note FROM widgets WHERE n > ? ORDER BY id', [1]);
  expect(rows.map((r) => [r.id, Number(r.n), Boolean(r.ok), r.note])).to.deep.equal([
    ['a', 2 ** 40, true, null],
    ['b', 7, false, 'why?'],
  ]);
  expect(await sql.execute('UPDATE widgets SET note = ? WHERE n < ?', ['small', 10])).to.equal(1);
  const versions = await sql.query<{ component: string; version: unknown }>('SELECT component, version FROM schema_version ORDER BY component');
  expect(versions.map((v) => [v.component, Number(v.version)])).to.deep.equal([
    ['usage', 1],
    ['widgets', 2],
  ]);
  const newer = await sql.migrate('widgets', STEPS.slice(0, 1)).catch((e: Error) => e);
  expect((newer as Error).message).to.contain('widgets schema is at version 2, newer than this gateway knows (1)');
  const bad = await sql.query('SELECT nope FROM widgets').catch((e: Error) => e);
  expect(bad).to.be.instanceOf(Error);
}

describe('the shared sql store', function () {
  this.timeout(30_000);

  it('SQLite: migrations, placeholders, booleans and row counts, in the worker thread', async () => {
    const tmp = tempDir();
    const store = new SqliteStore(path.join(tmp.dir, 'usage.sqlite'));
    try {
      await exercise(store);
    } finally {
      await store.close();
      tmp.remove();
    }
  });

  it('PostgreSQL: the same SQL text, tables in the configured schema', async () => {
    const schema = schemaName();
    const store = new PostgresStore(PG_URL, schema, winston.createLogger({ silent: true }));
    try {
      await exercise(store);
      const { rows } = await withPg((c) => c.query(`SELECT count(*)::int AS n FROM "${schema}".widgets`));
      expect(rows[0].n).to.equal(2);
    } finally {
      await store.close();
      await dropSchemas(schema);
    }
  });

  it('is provided with tracking disabled, and creates the database only when used', async () => {
    const tmp = tempDir();
    let sql: SqlStore | undefined;
    const consumer = definePlugin({
      id: 'consumer',
      apiVersion: 1,
      dependencies: ['usage'],
      setup(api) {
        api.hooks.ready.tap(async () => {
          sql = api.stores.get<SqlStore>('sql');
        });
      },
    });
    const gw = await startTestGateway({ config: { endpoints: ENDPOINTS.slice(0, 1), usage: { enabled: false, data_dir: tmp.dir } }, providers: [mock], plugins: [{ definition: usage }, { definition: consumer }], discover: false });
    try {
      expect(readdirSync(tmp.dir)).to.deep.equal([]);
      expect(sql!.kind).to.equal('sqlite');
      await sql!.migrate('widgets', STEPS);
      expect(readdirSync(tmp.dir)).to.include('usage.sqlite');
      expect((await getJson(gw.url, '/api/usage/requests')).status).to.equal(501); // still not tracking
    } finally {
      await gw.close();
      tmp.remove();
    }
  });

  it('the read routes ask the admin-guard store when a plugin provides one', async () => {
    const tmp = tempDir();
    const guard: AdminGuard = {
      check(headers) {
        if (headers.authorization !== 'Bearer let-me-in') throw createError('GW_ERR_UNAUTHENTICATED', 'admin key needed');
      },
    };
    const guardPlugin = definePlugin({ id: 'guard', apiVersion: 1, setup: (api) => api.stores.provide('admin-guard', { open: async () => guard, close: async () => undefined }) });
    const gw = await startTestGateway({ config: { endpoints: ENDPOINTS.slice(0, 1), usage: { data_dir: tmp.dir } }, providers: [mock], plugins: [{ definition: usage }, { definition: guardPlugin }], discover: false });
    try {
      for (const route of ['/api/usage/requests', '/api/usage/summary', '/metrics']) {
        expect((await fetch(`${gw.url}${route}`)).status, route).to.equal(401);
        expect((await fetch(`${gw.url}${route}`, { headers: { authorization: 'Bearer let-me-in' } })).status, route).to.equal(200);
      }
    } finally {
      await gw.close();
      tmp.remove();
    }
  });
});
