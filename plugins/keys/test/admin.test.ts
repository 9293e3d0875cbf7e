// The admin API: guarded by the admin key (compared in constant time), bodies checked with the
// field named, the key shown once and never again; the usage routes behind the same key.
import { expect } from 'chai';
import type { TestGateway } from '@gatehousejs/core/testing';
import { admin, ADMIN_KEY, call, chat, startKeysGateway, tempDir } from './helpers.js';

describe('admin API', function () {
  this.timeout(30_000);
  const tmp = tempDir();
  let gw: TestGateway;

  before(async () => {
    gw = await startKeysGateway({ dataDir: tmp.dir }, { admin_key: '$GH_TEST_ADMIN_KEY' }, { ...process.env, GH_TEST_ADMIN_KEY: ADMIN_KEY });
  });
  after(async () => {
    await gw.close();
    tmp.remove();
  });

  it('needs the admin key as a bearer token', async () => {
    for (const [method, path] of [['POST', '/api/keys'], ['GET', '/api/keys'], ['GET', '/api/keys/abc'], ['DELETE', '/api/keys/abc']] as const) {
      const none = await call(gw.url, method, path, { body: method === 'POST' ? { name: 'x' } : undefined });
      expect(none.status, `${method} ${path}`).to.equal(401);
      expect(none.body.error.message).to.contain('Authorization: Bearer <admin key>');
      const wrong = await call(gw.url, method, path, { key: `${ADMIN_KEY}x` });
      expect(wrong.status, `${method} ${path}`).to.equal(401);
      expect(wrong.body.error.message).to.equal('Invalid admin key.');
    }
    expect((await call(gw.url, 'GET', '/api/keys', { headers: { 'x-api-key': ADMIN_KEY } })).status).to.equal(401);
  });

  it('creates a key, shows it once, then lists and reads it without secret or hash', async () => {
    const created = await admin(gw.url, 'POST', '/api/keys', {
      name: 'team-a',
      owner: 'a@example.com',
      endpoints: ['chat'],
      expires_at: '30d',
      limits: { requests: { calls: 100, renewal_period: 'minute' }, tokens: { tokens: 50_000, renewal_period: 'day' } },
    });
    expect(created.status).to.equal(201);
    expect(created.headers.get('cache-control')).to.equal('no-store');
    expect(created.body.key).to.match(/^gh_[0-9a-f]{16}_/);
    expect(created.body).to.include({ name: 'team-a', owner: 'a@example.com', status: 'active', source: 'store', revoked_at: null });
    expect(Date.parse(created.body.expires_at) - Date.now()).to.be.closeTo(30 * 86_400_000, 60_000);
    expect((await chat(gw.url, 'chat', created.body.key)).status).to.equal(200);

    const one = await admin(gw.url, 'GET', `/api/keys/${created.body.id}`);
    const list = await admin(gw.url, 'GET', '/api/keys');
    expect(one.status).to.equal(200);
    const { key: _key, ...withoutKey } = created.body;
    expect(one.body).to.deep.equal(withoutKey);
    expect(list.body.keys.map((k: { id: string }) => k.id)).to.include(created.body.id);
    const secretPart = String(created.body.key).slice(20);
    for (const reply of [one, list]) {
      expect(JSON.stringify(reply.body)).to.not.contain(secretPart);
      expect(Object.keys(reply.body.keys?.[0] ?? reply.body)).to.not.include.members(['key', 'hash', 'key_hash']);
    }
  });

  it('answers a bad body with a 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{}, 'name'],
      [{ name: 'x', endpoint: ['chat'] }, 'endpoint'],
      [{ name: 'x', limits: { requests: { calls: -1, renewal_period: 'minute' } } }, 'limits.requests.calls'],
      [{ name: 'x', expires_at: 'next week' }, 'expires_at'],
      [[1, 2], 'body'],
    ];
    for (const [body, param] of cases) {
      const res = await admin(gw.url, 'POST', '/api/keys', body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.error, JSON.stringify(body)).to.include({ type: 'invalid_request_error', param });
    }
  });

  it('revokes a key (idempotent) and answers 404 for an unknown id', async () => {
    const created = await admin(gw.url, 'POST', '/api/keys', { name: 'to-revoke' });
    const revoked = await admin(gw.url, 'DELETE', `/api/keys/${created.body.id}`);
    expect(revoked.status).to.equal(200);
    expect(revoked.body.status).to.equal('revoked');
    expect((await chat(gw.url, 'chat', created.body.key)).status).to.equal(401);
    const again = await admin(gw.url, 'DELETE', `/api/keys/${created.body.id}`);
    expect(again.body.revoked_at).to.equal(revoked.body.revoked_at);
    const missing = await admin(gw.url, 'DELETE', '/api/keys/0000000000000000');
    expect(missing.status).to.equal(404);
    expect(missing.body.error.message).to.contain('No key with id "0000000000000000"');
  });

  it('guards the usage routes and /metrics with the same key', async () => {
    for (const route of ['/api/usage/requests', '/api/usage/summary', '/metrics']) {
      expect((await call(gw.url, 'GET', route)).status, route).to.equal(401);
      expect((await call(gw.url, 'GET', route, { key: ADMIN_KEY })).status, route).to.equal(200);
    }
  });

  it('keeps the admin API off (403, saying how to turn it on) without an admin key; usage stays open', async () => {
    const dir = tempDir();
    const open = await startKeysGateway({ dataDir: dir.dir });
    try {
      const res = await call(open.url, 'GET', '/api/keys', { key: ADMIN_KEY });
      expect(res.status).to.equal(403);
      expect(res.body.error.message).to.contain('keys.admin_key');
      expect((await call(open.url, 'GET', '/api/usage/requests')).status).to.equal(200);
    } finally {
      await open.close();
      dir.remove();
    }
  });
});
