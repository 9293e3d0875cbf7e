// The keys plugin in a real gateway: anonymous until a key exists, declared keys from the
// environment, issued keys, 401/403 with OpenAI's error shape, revocations seen after a refresh.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import mock from '@gatehousejs/provider-mock';
import usage from '@gatehousejs/plugin-usage';
import keys from '../src/index.js';
import { admin, ADMIN_KEY, call, chat, ENDPOINTS, startKeysGateway, tempDir, waitFor } from './helpers.js';

const TEAM_KEY = 'team-key-from-env-0123456789';

describe('keys in a gateway', function () {
  this.timeout(30_000);
  const tmp = tempDir();
  const gateways: TestGateway[] = [];
  const start = async (...args: Parameters<typeof startKeysGateway>) => {
    const gw = await startKeysGateway(...args);
    gateways.push(gw);
    return gw;
  };

  afterEach(async () => {
    for (const gw of gateways.splice(0)) await gw.close();
  });
  after(() => tmp.remove());

  it('lets every request through while no key exists, and turns auth on with the first one', async () => {
    const dir = `${tmp.dir}/first`;
    const gw = await start({ dataDir: dir }, { admin_key: ADMIN_KEY });
    expect((await chat(gw.url, 'chat')).status).to.equal(200);
    expect((await chat(gw.url, 'chat', 'anything-at-all')).status).to.equal(200);
    const created = await admin(gw.url, 'POST', '/api/keys', { name: 'first' });
    expect(created.status).to.equal(201);
    const missing = await chat(gw.url, 'chat');
    expect(missing.status).to.equal(401);
    expect(missing.body.error).to.include({ type: 'authentication_error', code: 'unauthenticated' });
    expect(missing.body.error.message).to.contain('Authorization: Bearer <key>');
    expect((await chat(gw.url, 'chat', created.body.key)).status).to.equal(200);
    // Revoking the only key does not open the gateway again.
    expect((await admin(gw.url, 'DELETE', `/api/keys/${created.body.id}`)).status).to.equal(200);
    expect((await chat(gw.url, 'chat')).status).to.equal(401);
  });

  it('accepts declared keys from $ENV on every header the SDKs use, and refuses the rest', async () => {
    const gw = await start(
      { dataDir: `${tmp.dir}/declared` },
      {
        keys: [
          { name: 'team', key: '$GH_TEST_TEAM_KEY', owner: 'team@example.com' },
          { name: 'emb-only', key: 'emb-only-literal-key-0123456789', endpoints: ['emb', 'split'] },
          { name: 'old', key: 'an-expired-literal-key-0123456', expires_at: '2020-01-01' },
        ],
      },
      { ...process.env, GH_TEST_TEAM_KEY: TEAM_KEY },
    );
    expect((await chat(gw.url, 'chat', TEAM_KEY)).status).to.equal(200);
    expect((await chat(gw.url, 'chat', undefined, { 'x-api-key': TEAM_KEY })).status).to.equal(200);
    expect((await chat(gw.url, 'chat', undefined, { authorization: `bearer ${TEAM_KEY}` })).status).to.equal(200);
    expect((await chat(gw.url, 'split', 'emb-only-literal-key-0123456789')).status).to.equal(200); // a route in the list reaches its pick
    const forbidden = await chat(gw.url, 'chat', 'emb-only-literal-key-0123456789');
    expect(forbidden.status).to.equal(403);
    expect(forbidden.body.error).to.include({ type: 'permission_error', code: 'forbidden' });
    expect(forbidden.body.error.message).to.contain('may not call "chat"');
    const unknown = await chat(gw.url, 'chat', 'not-a-key-this-gateway-knows');
    expect(unknown.status).to.equal(401);
    expect(unknown.body.error.message).to.contain('Invalid API key');
    const expired = await chat(gw.url, 'chat', 'an-expired-literal-key-0123456');
    expect(expired.status).to.equal(401);
    expect(expired.body.error.message).to.contain('expired on 2020-01-01T00:00:00.000Z');
    expect((await chat(gw.url, 'chat')).status).to.equal(401);
  });

  it('hides the endpoints from callers it does not know: 401 before a 404, listings filtered by the key', async () => {
    const EMB_ONLY = 'emb-only-literal-key-0123456789';
    const gw = await start({ dataDir: `${tmp.dir}/hidden` }, { keys: [{ name: 'team', key: TEAM_KEY }, { name: 'emb-only', key: EMB_ONLY, endpoints: ['emb', 'split'] }] });
    // An unknown name tells an unknown caller nothing: the same 401 as a known one.
    expect((await chat(gw.url, 'no-such-endpoint')).status).to.equal(401);
    expect((await call(gw.url, 'POST', '/endpoints/no-such-endpoint/invocations', { body: { messages: [{ role: 'user', content: 'x' }] } })).status).to.equal(401);
    expect((await chat(gw.url, 'no-such-endpoint', TEAM_KEY)).status).to.equal(404);
    for (const path of ['/v1/models', '/v1/models/chat', '/api/2.0/endpoints', '/api/2.0/endpoints/chat']) {
      const anonymous = await call(gw.url, 'GET', path);
      expect(anonymous.status, path).to.equal(401);
      expect(JSON.stringify(anonymous.body), path).to.not.contain('chat-b');
      expect((await call(gw.url, 'GET', path, { key: 'not-a-key-this-gateway-knows' })).status, path).to.equal(401);
    }
    const all = await call(gw.url, 'GET', '/v1/models', { key: TEAM_KEY });
    expect(all.body.data.map((m: { id: string }) => m.id).sort()).to.deep.equal(['chat', 'chat-b', 'emb', 'split']);
    const some = await call(gw.url, 'GET', '/v1/models', { key: EMB_ONLY });
    expect(some.body.data.map((m: { id: string }) => m.id).sort()).to.deep.equal(['emb', 'split']);
    expect((await call(gw.url, 'GET', '/v1/models/chat', { key: EMB_ONLY })).status).to.equal(404);
    expect((await call(gw.url, 'GET', '/v1/models/emb', { key: EMB_ONLY })).status).to.equal(200);
    const mlflow = await call(gw.url, 'GET', '/api/2.0/endpoints', { key: EMB_ONLY });
    expect(mlflow.body.endpoints.map((e: { name: string }) => e.name)).to.deep.equal(['emb']);
    expect((await call(gw.url, 'GET', '/api/2.0/endpoints/chat', { key: EMB_ONLY })).status).to.equal(404);
    // The listings are not usage records.
    const records = await admin(gw.url, 'GET', '/api/usage/requests?limit=1000');
    expect(records.body.records.filter((r: { endpoint: string | null }) => r.endpoint === null).length).to.equal(0);
  });

  it('records the key id, never the key, in usage records', async () => {
    const gw = await start({ dataDir: `${tmp.dir}/usage` }, { admin_key: ADMIN_KEY, keys: [{ name: 'team', key: TEAM_KEY }] });
    expect((await chat(gw.url, 'chat', TEAM_KEY)).status).to.equal(200);
    let records: Record<string, unknown>[] = [];
    await waitFor('the usage record', async () => {
      const res = await fetch(`${gw.url}/api/usage/requests`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      records = ((await res.json()) as { records: Record<string, unknown>[] }).records;
      return records.length === 1;
    });
    expect(records[0]!.key).to.equal('config:team');
    expect(JSON.stringify(records)).to.not.contain(TEAM_KEY);
  });

  it('fails start-up naming an unset variable, never a value', async () => {
    const error = await startKeysGateway({ dataDir: `${tmp.dir}/unset` }, { keys: [{ name: 'team', key: '$GH_TEST_UNSET_KEY' }] }).catch((e: Error) => e);
    expect((error as Error).message).to.contain('/keys/keys/0/key refers to the environment variable GH_TEST_UNSET_KEY');
    const short = await startKeysGateway({ dataDir: `${tmp.dir}/unset` }, { admin_key: 'too-short-admin' }).catch((e: Error) => e);
    expect((short as Error).message).to.contain('/keys/admin_key: must be at least 20').and.not.contain('too-short-admin');
    const unknown = await startKeysGateway({ dataDir: `${tmp.dir}/unset` }, { admin_kee: 'x' }).catch((e: Error) => e);
    expect((unknown as Error).message).to.contain('/keys').and.contain('admin_kee');
  });

  it('applies a revocation made elsewhere within refresh_seconds', async () => {
    const dir = `${tmp.dir}/shared`;
    const a = await start({ dataDir: dir }, { admin_key: ADMIN_KEY, refresh_seconds: 0.2 });
    const b = await start({ dataDir: dir }, { admin_key: ADMIN_KEY, refresh_seconds: 0.2 });
    const created = await admin(a.url, 'POST', '/api/keys', { name: 'shared' });
    await waitFor('b to accept the key', async () => (await chat(b.url, 'chat', created.body.key)).status === 200);
    await admin(a.url, 'DELETE', `/api/keys/${created.body.id}`);
    expect((await chat(a.url, 'chat', created.body.key)).status).to.equal(401); // at once where it was revoked
    await waitFor('b to refuse the key', async () => (await chat(b.url, 'chat', created.body.key)).status === 401, 3000);
    expect((await chat(b.url, 'chat', created.body.key)).body.error.message).to.contain('revoked');
  });

  it('refuses an expired issued key', async () => {
    const gw = await start({ dataDir: `${tmp.dir}/expiry` }, { admin_key: ADMIN_KEY });
    const soon = new Date(Date.now() + 1500).toISOString();
    const created = await admin(gw.url, 'POST', '/api/keys', { name: 'brief', expires_at: soon });
    expect(created.status).to.equal(201);
    expect((await chat(gw.url, 'chat', created.body.key)).status).to.equal(200);
    await waitFor('the key to expire', async () => (await chat(gw.url, 'chat', created.body.key)).status === 401, 5000);
    expect((await admin(gw.url, 'GET', `/api/keys/${created.body.id}`)).body.status).to.equal('expired');
  });

  it('applies declared keys and the admin key from a hot reload', async () => {
    const file = `${tmp.dir}/reload.json`;
    const write = (keysConfig: Record<string, unknown>) => writeFileSync(file, JSON.stringify({ endpoints: ENDPOINTS, usage: { data_dir: `${tmp.dir}/reload` }, keys: keysConfig }));
    write({ keys: [{ name: 'one', key: TEAM_KEY }] });
    const gw = await startTestGateway({ configPath: file, watch: false, providers: [mock], plugins: [{ definition: usage }, { definition: keys }], discover: false });
    gateways.push(gw);
    expect((await chat(gw.url, 'chat', TEAM_KEY)).status).to.equal(200);
    expect((await call(gw.url, 'GET', '/api/keys', { key: ADMIN_KEY })).status).to.equal(403);
    write({ admin_key: ADMIN_KEY, keys: [{ name: 'two', key: `${TEAM_KEY}-two` }] });
    expect(await gw.gateway.reload()).to.equal(true);
    expect((await chat(gw.url, 'chat', TEAM_KEY)).status).to.equal(401);
    expect((await chat(gw.url, 'chat', `${TEAM_KEY}-two`)).status).to.equal(200);
    expect((await call(gw.url, 'GET', '/api/keys', { key: ADMIN_KEY })).body.keys.map((k: { id: string }) => k.id)).to.deep.equal(['config:two']);
    write({ keys: [{ name: 'three', key: '$GH_TEST_UNSET_RELOAD_KEY' }] });
    expect(await gw.gateway.reload()).to.equal(false); // rejected: the last good keys keep serving
    expect((await chat(gw.url, 'chat', `${TEAM_KEY}-two`)).status).to.equal(200);
  });
});
