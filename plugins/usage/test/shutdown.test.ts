// A clean shutdown loses no record: close under load (both stores), SIGTERM to a real
// `gatehouse start` process (two workers on one SQLite file), and the bounded queue's drops.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestGateway } from '@gatehousejs/core/testing';
import { SqliteStore } from '../src/index.js';
import { dropSchemas, PG_URL, pgCount, schemaName, send, startUsageGateway, tempDir, waitFor, type Call } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

// Streams on the slow endpoint take a few hundred ms: they are in flight when close starts.
const slowCall = (i: number, slow = true): Call => ({
  id: `s-${i}`,
  path: '/v1/chat/completions',
  body: { model: slow ? 'slow' : 'chat', stream: slow, messages: [{ role: 'user', content: `shutdown test number ${i} with some words` }] },
  headers: { authorization: 'Bearer sk-caller-beta-333444555' },
});

async function closeUnderLoad(gw: TestGateway, count: number): Promise<number[]> {
  const replies = Array.from({ length: count }, (_, i) => send(gw.url, slowCall(i)));
  await waitFor(`${count} requests in flight`, () => gw.gateway.inFlight === count);
  const closed = gw.close();
  const statuses = (await Promise.all(replies)).map((r) => r.status);
  await closed;
  return statuses;
}

async function countSqlite(file: string): Promise<number> {
  const store = new SqliteStore(file);
  try {
    return (await store.list({ limit: 1000 })).records.length;
  } finally {
    await store.close();
  }
}

describe('shutdown flushes every usage record', function () {
  this.timeout(60_000);

  it('close under load writes every record to SQLite', async () => {
    const tmp = tempDir();
    try {
      // A long flush interval: nothing is written before close, so close must write it all.
      const gw = await startUsageGateway({ usage: { data_dir: tmp.dir, flush_interval_ms: 600_000 } });
      const statuses = await closeUnderLoad(gw, 40);
      expect(statuses).to.deep.equal(statuses.map(() => 200));
      expect(await countSqlite(path.join(tmp.dir, 'usage.sqlite'))).to.equal(40);
    } finally {
      tmp.remove();
    }
  });

  it('close under load writes every record to PostgreSQL', async () => {
    const schema = schemaName();
    try {
      const gw = await startUsageGateway({ usage: { store: 'postgres', database_url: PG_URL, schema, flush_interval_ms: 600_000, batch_size: 7 } });
      const statuses = await closeUnderLoad(gw, 40);
      expect(statuses).to.deep.equal(statuses.map(() => 200));
      expect(await pgCount(schema)).to.equal(40);
    } finally {
      await dropSchemas(schema);
    }
  });

  it('a full queue drops new records, counts them in metrics and logs them', async () => {
    const tmp = tempDir();
    try {
      const gw = await startUsageGateway({ usage: { data_dir: tmp.dir, queue_size: 5, batch_size: 100, flush_interval_ms: 600_000 } });
      for (let i = 0; i < 12; i++) expect((await send(gw.url, slowCall(i, false))).status).to.equal(200);
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).to.match(/^gatehouse_usage_records_dropped_total 7$/m);
      expect(metrics).to.match(/^gatehouse_usage_queue_depth 5$/m);
      const drops = gw.logs.filter((l) => l.includes('usage records dropped'));
      expect(drops).to.have.length(1); // the first drop at once, the rest summed every 10 s
      expect(JSON.parse(drops[0]!)).to.include({ dropped: 1, level: 'warn', queue_size: 5 });
      await gw.close();
      expect(gw.logs.filter((l) => l.includes('usage records dropped')).map((l) => JSON.parse(l).dropped)).to.deep.equal([1, 6]);
      expect(await countSqlite(path.join(tmp.dir, 'usage.sqlite'))).to.equal(5);
    } finally {
      tmp.remove();
    }
  });

  it('SIGTERM to `gatehouse start --workers 2` under load loses no record', async () => {
    const tmp = tempDir();
    try {
      const config = path.join(tmp.dir, 'gatehouse.yaml');
      writeFileSync(
        config,
        [
          'plugins:',
          `  - ${JSON.stringify(path.join(ROOT, 'providers/mock'))}`,
          `  - ${JSON.stringify(path.join(ROOT, 'plugins/usage'))}`,
          'endpoints:',
          '  - { name: slow, endpoint_type: llm/v1/chat, model: { provider: mock, name: m, config: { chunk_delay_ms: 60 } } }',
          'usage:',
          '  flush_interval_ms: 600000',
          '',
        ].join('\n'),
      );
      // cwd and data dir in the temp directory: nothing is discovered, nothing lands in the tree.
      const child = spawn(process.execPath, [path.join(ROOT, 'core/bin/gatehouse.js'), 'start', '--config', config, '--port', '0', '--workers', '2'], {
        cwd: tmp.dir,
        env: { ...process.env, GATEHOUSE_DATA_DIR: tmp.dir, GATEHOUSE_LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      // Workers listen on a port the primary shares; with --port 0 each worker logs the same URL.
      await waitFor('a worker listening', () => /Gatehouse listening on (http:\/\/[\d.:]+)/.test(out), 20_000);
      await waitFor('both workers listening', () => out.match(/Gatehouse listening on/g)!.length === 2, 20_000);
      const url = /Gatehouse listening on (http:\/\/[\d.:]+)/.exec(out)![1]!;
      const count = 30;
      const started = Array.from({ length: count }, (_, i) =>
        fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': `t-${i}` },
          body: JSON.stringify({ model: 'slow', stream: true, messages: [{ role: 'user', content: `sigterm ${i} ${'w '.repeat(12)}` }] }),
        }),
      );
      // Every stream has its headers (a worker holds it) before the signal; a request still in
      // the accept queue at SIGTERM would be refused, which is not what this test is about.
      const responses = await Promise.all(started);
      child.kill('SIGTERM');
      await Promise.all(responses.map((r) => r.text()));
      const statuses = responses.map((r) => r.status);
      expect(await exited, out).to.equal(0);
      expect(statuses).to.deep.equal(statuses.map(() => 200));
      expect(await countSqlite(path.join(tmp.dir, 'usage.sqlite')), out).to.equal(count);
    } finally {
      tmp.remove();
    }
  });
});
