// The admin key as a caller on gateway routes (the console's "try it"): accepted on every
// endpoint and route once auth is on, recorded in usage as "admin", and nothing else changes.
import { expect } from 'chai';
import type { TestGateway } from '@gatehousejs/core/testing';
import { admin, ADMIN_KEY, call, chat, startKeysGateway, tempDir, waitFor } from './helpers.js';

describe('keys: the admin key as a caller', function () {
  this.timeout(30_000);
  const tmp = tempDir();
  let gw: TestGateway | undefined;

  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });
  after(() => tmp.remove());

  it('calls every endpoint and route with the admin key while issued keys turn auth on, and usage records "admin"', async () => {
    gw = await startKeysGateway({ dataDir: `${tmp.dir}/on` }, { admin_key: ADMIN_KEY });
    const created = await admin(gw.url, 'POST', '/api/keys', { name: 'chat-only', endpoints: ['chat'] });
    expect(created.status).to.equal(201);
    expect((await chat(gw.url, 'chat')).status).to.equal(401); // auth is on now
    for (const name of ['chat', 'chat-b', 'split']) expect((await chat(gw.url, name, ADMIN_KEY)).status, name).to.equal(200);
    const embedded = await call(gw.url, 'POST', '/v1/embeddings', { key: ADMIN_KEY, body: { model: 'emb', input: 'hi' } });
    expect(embedded.status).to.equal(200);
    // An issued key keeps its own limits on what it may call.
    expect((await chat(gw.url, 'chat-b', created.body.key)).status).to.equal(403);
    // Close to the admin key is not the admin key.
    expect((await chat(gw.url, 'chat', `${ADMIN_KEY}x`)).status).to.equal(401);

    let keys: unknown[] = [];
    await waitFor('the usage records', async () => {
      const res = await admin(gw!.url, 'GET', '/api/usage/requests');
      keys = (res.body.records as { key: unknown; status: number }[]).filter((r) => r.status === 200).map((r) => r.key);
      return keys.length === 4;
    });
    expect(keys).to.deep.equal(['admin', 'admin', 'admin', 'admin']);
    const records = await admin(gw.url, 'GET', '/api/usage/requests');
    expect(JSON.stringify(records.body)).to.not.contain(ADMIN_KEY);
  });

  it('is recorded as "admin" while auth is off too, and is no caller at all when no admin key is set', async () => {
    gw = await startKeysGateway({ dataDir: `${tmp.dir}/off` }, { admin_key: ADMIN_KEY });
    expect((await chat(gw.url, 'chat', ADMIN_KEY)).status).to.equal(200);
    expect((await chat(gw.url, 'chat')).status).to.equal(200);
    let keys: unknown[] = [];
    await waitFor('the usage records', async () => {
      keys = ((await admin(gw!.url, 'GET', '/api/usage/requests')).body.records as { key: unknown }[]).map((r) => r.key);
      return keys.length === 2;
    });
    expect(keys).to.have.members(['admin', 'anonymous']);
    await gw.close();
    gw = undefined;

    gw = await startKeysGateway({ dataDir: `${tmp.dir}/none` }, { keys: [{ name: 'team', key: 'team-key-literal-0123456789' }] });
    const refused = await chat(gw.url, 'chat', ADMIN_KEY);
    expect(refused.status).to.equal(401);
    expect(refused.body.error.message).to.contain('Invalid API key');
  });
});
