// A PostgreSQL outage, simulated with a TCP proxy the test controls (the shared server keeps
// running): requests never wait on the store or fail because of it, and every record arrives
// once the store is back.
import { expect } from 'chai';
import type { TestGateway } from '@gatehousejs/core/testing';
import { dropSchemas, getJson, pgCount, pgTarget, schemaName, send, sleep, startUsageGateway, TcpProxy, waitFor, type Call } from './helpers.js';

const chatCall = (i: number, stream = false): Call => ({
  id: `o-${i}`,
  path: '/v1/chat/completions',
  body: { model: 'chat', stream, messages: [{ role: 'user', content: `outage test ${i}` }] },
  headers: { authorization: 'Bearer sk-caller-alpha-000111222' },
});

async function burst(url: string, from: number, count: number) {
  return Promise.all(Array.from({ length: count }, (_, i) => send(url, chatCall(from + i, i % 3 === 0))));
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('usage store outage (PostgreSQL behind a TCP proxy)', function () {
  this.timeout(60_000);
  const schema = schemaName();
  const proxy = new TcpProxy(pgTarget());
  let url: string;
  let gw: TestGateway | undefined;

  before(async () => {
    url = await proxy.listen();
  });

  afterEach(async () => {
    await gw?.close();
    gw = undefined;
    proxy.up();
  });

  after(async () => {
    await proxy.close();
    await dropSchemas(schema);
  });

  it('loses no record: requests succeed at full speed while the store is down, records arrive after recovery', async () => {
    gw = await startUsageGateway({ usage: { store: 'postgres', database_url: url, schema, flush_interval_ms: 50, batch_size: 10 } });
    const before = await burst(gw.url, 0, 20);
    expect(before.every((r) => r.status === 200)).to.equal(true);
    await waitFor('the first 20 records', async () => (await pgCount(schema)) === 20);

    proxy.down();
    const during = await burst(gw.url, 100, 60);
    expect(during.map((r) => r.status)).to.deep.equal(during.map(() => 200));
    // Requests do not wait for the store: nothing near a connect or statement timeout.
    expect(Math.max(...during.map((r) => r.ms))).to.be.below(2000);
    await waitFor('a failed write', async () => (await metric(gw!.url, 'gatehouse_usage_store_errors_total')) > 0);
    await sleep(300);
    expect(await pgCount(schema)).to.equal(20);
    expect(await metric(gw.url, 'gatehouse_usage_queue_depth')).to.equal(60);
    // Reads fail with a clear 500 while the store is down; writes are unaffected.
    const read = await getJson<{ error: { message: string } }>(gw.url, '/api/usage/requests');
    expect(read.status).to.equal(500);
    expect(read.body.error.message).to.match(/usage store/);

    proxy.up();
    await waitFor('all 80 records after recovery', async () => (await pgCount(schema)) === 80, 30_000);
    expect(await metric(gw.url, 'gatehouse_usage_records_dropped_total')).to.equal(0);
    const logs = gw.logs.join('\n');
    expect(logs).to.contain('usage store write failed');
    expect(logs).to.contain('usage store recovered');
    expect(logs).to.not.contain('root@'); // the connection string is never logged
  });

  it('starts and serves while the store is down at start-up, and writes once it is up', async () => {
    const other = schemaName();
    proxy.down();
    try {
      gw = await startUsageGateway({ usage: { store: 'postgres', database_url: url, schema: other, flush_interval_ms: 50 } });
      expect(gw.logs.join('\n')).to.contain('usage store unavailable at start-up');
      const replies = await burst(gw.url, 200, 10);
      expect(replies.every((r) => r.status === 200)).to.equal(true);
      proxy.up();
      await waitFor('the 10 records', async () => (await pgCount(other)) === 10, 30_000);
    } finally {
      await dropSchemas(other);
    }
  });

  it('flushes the queue at shutdown once the store is back', async () => {
    const other = schemaName();
    try {
      gw = await startUsageGateway({ usage: { store: 'postgres', database_url: url, schema: other, flush_interval_ms: 50 } });
      proxy.down();
      await burst(gw.url, 300, 15);
      setTimeout(() => proxy.up(), 500);
      await gw.close(); // retries until the store takes the queue
      gw = undefined;
      expect(await pgCount(other)).to.equal(15);
    } finally {
      await dropSchemas(other);
    }
  });
});
