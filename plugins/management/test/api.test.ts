// The management API over HTTP: the admin key on every route, endpoints and routes beside the
// file's, bodies checked with the field named, write-only secrets and the audit log.
import { expect } from 'chai';
import { runCliCommand, type TestGateway } from '@gatehousejs/core/testing';
import { admin, ADMIN_KEY, call, chat, mockEndpoint, startGateway, tempDir } from './helpers.js';

const ROUTES: readonly [string, string][] = [
  ['GET', '/api/admin/endpoints'],
  ['POST', '/api/admin/endpoints'],
  ['GET', '/api/admin/endpoints/x'],
  ['PUT', '/api/admin/endpoints/x'],
  ['DELETE', '/api/admin/endpoints/x'],
  ['GET', '/api/admin/routes'],
  ['POST', '/api/admin/routes'],
  ['GET', '/api/admin/routes/x'],
  ['PUT', '/api/admin/routes/x'],
  ['DELETE', '/api/admin/routes/x'],
  ['GET', '/api/admin/secrets'],
  ['POST', '/api/admin/secrets'],
  ['PUT', '/api/admin/secrets/x'],
  ['DELETE', '/api/admin/secrets/x'],
  ['GET', '/api/admin/audit'],
];

describe('management API', function () {
  this.timeout(30_000);
  const tmp = tempDir();
  let gw: TestGateway;

  before(async () => {
    gw = await startGateway({ dataDir: tmp.dir });
  });
  after(async () => {
    await gw.close();
    tmp.remove();
  });

  it('answers 401 on every route without the admin key or with a wrong one', async () => {
    for (const [method, path] of ROUTES) {
      const body = method === 'POST' || method === 'PUT' ? {} : undefined;
      const none = await call(gw.url, method, path, { body });
      expect(none.status, `${method} ${path}`).to.equal(401);
      expect(none.body.error.message).to.contain('Authorization: Bearer <admin key>');
      const wrong = await call(gw.url, method, path, { key: `${ADMIN_KEY}x`, body });
      expect(wrong.status, `${method} ${path}`).to.equal(401);
      expect(wrong.body.error.message).to.equal('Invalid admin key.');
    }
  });

  it('lists the file entries marked as such', async () => {
    const endpoints = await admin(gw.url, 'GET', '/api/admin/endpoints');
    expect(endpoints.status).to.equal(200);
    expect(endpoints.body.endpoints).to.deep.include({ ...mockEndpoint('chat', { response: 'from the file' }), source: 'file' });
    const route = await admin(gw.url, 'GET', '/api/admin/routes/split');
    expect(route.body).to.include({ name: 'split', source: 'file' });
  });

  it('creates, reads, changes and deletes an endpoint, served at once', async () => {
    const created = await admin(gw.url, 'POST', '/api/admin/endpoints', mockEndpoint('live', { response: 'first answer' }));
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ name: 'live', source: 'api' });
    expect((await chat(gw.url, 'live')).body.choices[0].message.content).to.equal('first answer');

    expect((await admin(gw.url, 'GET', '/api/admin/endpoints/live')).body.model.config).to.deep.equal({ response: 'first answer' });
    expect((await admin(gw.url, 'POST', '/api/admin/endpoints', mockEndpoint('live'))).status).to.equal(409);

    const changed = await admin(gw.url, 'PUT', '/api/admin/endpoints/live', { endpoint_type: 'llm/v1/chat', model: { provider: 'mock', config: { response: 'second answer' } } });
    expect(changed.status).to.equal(200);
    expect((await chat(gw.url, 'live')).body.choices[0].message.content).to.equal('second answer');

    const removed = await admin(gw.url, 'DELETE', '/api/admin/endpoints/live');
    expect(removed.status).to.equal(200);
    expect(removed.body).to.include({ name: 'live', deleted: true });
    expect((await chat(gw.url, 'live')).status).to.equal(404);
    expect((await admin(gw.url, 'GET', '/api/admin/endpoints/live')).status).to.equal(404);
    expect((await admin(gw.url, 'PUT', '/api/admin/endpoints/live', mockEndpoint('live'))).status).to.equal(404);
    expect((await admin(gw.url, 'DELETE', '/api/admin/endpoints/live')).status).to.equal(404);
  });

  it('creates, changes and deletes a route over file and API endpoints', async () => {
    await admin(gw.url, 'POST', '/api/admin/endpoints', mockEndpoint('other', { response: 'other' }));
    const body = { name: 'mix', task_type: 'llm/v1/chat', destinations: [{ name: 'other', traffic_percentage: 100 }], routing_strategy: 'TRAFFIC_SPLIT' };
    expect((await admin(gw.url, 'POST', '/api/admin/routes', body)).status).to.equal(201);
    expect((await chat(gw.url, 'mix')).body.choices[0].message.content).to.equal('other');
    // The endpoint a route sends traffic to cannot go while the route does.
    const inUse = await admin(gw.url, 'DELETE', '/api/admin/endpoints/other');
    expect(inUse.status).to.equal(400);
    expect(inUse.body.error.message).to.contain('other');
    const changed = await admin(gw.url, 'PUT', '/api/admin/routes/mix', { ...body, destinations: [{ name: 'chat', traffic_percentage: 100 }] });
    expect(changed.status).to.equal(200);
    expect((await chat(gw.url, 'mix')).body.choices[0].message.content).to.equal('from the file');
    expect((await admin(gw.url, 'GET', '/api/admin/routes')).body.routes.map((r: { name: string; source: string }) => `${r.name}:${r.source}`)).to.deep.equal(['split:file', 'mix:api']);
    expect((await admin(gw.url, 'DELETE', '/api/admin/routes/mix')).status).to.equal(200);
    expect((await admin(gw.url, 'DELETE', '/api/admin/endpoints/other')).status).to.equal(200);
  });

  it('refuses to override or remove a file entry (409 naming it)', async () => {
    for (const [method, path, body] of [
      ['POST', '/api/admin/endpoints', mockEndpoint('chat')],
      ['PUT', '/api/admin/endpoints/chat', mockEndpoint('chat')],
      ['DELETE', '/api/admin/endpoints/chat', undefined],
      ['POST', '/api/admin/endpoints', mockEndpoint('split')],
      ['DELETE', '/api/admin/routes/split', undefined],
    ] as const) {
      const reply = await admin(gw.url, method, path, body);
      expect(reply.status, `${method} ${path}`).to.equal(409);
      expect(reply.body.error.message).to.match(/"(chat|split)" comes from the config file/);
    }
    expect((await chat(gw.url, 'chat')).body.choices[0].message.content).to.equal('from the file');
  });

  it('answers bad bodies with a 400 naming the field, and changes nothing', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/admin/endpoints', { endpoint_type: 'llm/v1/chat', model: { provider: 'mock' } }, 'name'],
      ['POST', '/api/admin/endpoints', { ...mockEndpoint('a'), name: 'bad name!' }, 'name'],
      // The config file's rule: a name the API accepts is one the gateway serves.
      ['POST', '/api/admin/endpoints', { ...mockEndpoint('a'), name: 'team:chat' }, 'name'],
      ['POST', '/api/admin/routes', { name: 'r:1', task_type: 'llm/v1/chat', destinations: [{ name: 'chat', traffic_percentage: 100 }] }, 'name'],
      ['POST', '/api/admin/endpoints', { ...mockEndpoint('a'), model: { provider: 7 } }, 'model.provider'],
      ['POST', '/api/admin/endpoints', mockEndpoint('a', { api_key: 'sk-literal-value-1234567890' }), 'model.config.api_key'],
      ['POST', '/api/admin/endpoints', { ...mockEndpoint('a'), endpoint_type: 'nonsense' }, 'endpoint_type'],
      ['POST', '/api/admin/endpoints', mockEndpoint('a', { no_such_option: 1 }), 'no_such_option'],
      ['POST', '/api/admin/endpoints', { ...mockEndpoint('a'), model: { provider: 'nope' } }, 'unknown provider "nope"'],
      ['PUT', '/api/admin/endpoints/a', { ...mockEndpoint('b') }, 'name'],
      ['POST', '/api/admin/routes', { name: 'r', task_type: 'llm/v1/chat', destinations: [] }, 'destinations'],
      ['POST', '/api/admin/routes', { name: 'r', task_type: 'llm/v1/chat', destinations: [{ name: 'missing', traffic_percentage: 100 }] }, 'missing'],
      ['POST', '/api/admin/secrets', { name: 'x' }, 'value'],
      ['POST', '/api/admin/secrets', { name: 'x', value: 'v', extra: 1 }, 'extra'],
      ['PUT', '/api/admin/secrets/x', { value: 3 }, 'value'],
    ];
    for (const [method, path, body, field] of cases) {
      const reply = await admin(gw.url, method, path, body);
      expect(reply.status, `${method} ${path} ${JSON.stringify(body)}`).to.equal(400);
      expect(reply.body.error.type).to.equal('invalid_request_error');
      expect(reply.body.error.message, JSON.stringify(body)).to.contain(field);
      expect(reply.text).to.not.contain('sk-literal-value');
    }
    // What the gateway refuses when it applies an entry is told about that entry, with the field as param.
    const unknownOption = await admin(gw.url, 'POST', '/api/admin/endpoints', mockEndpoint('a', { no_such_option: 1 }));
    expect(unknownOption.body.error).to.include({ param: 'model.config' });
    expect(unknownOption.body.error.message).to.match(/^Invalid endpoint "a": 'model.config' unknown key "no_such_option"\.$/);
    const badLimit = await admin(gw.url, 'POST', '/api/admin/endpoints', { ...mockEndpoint('a'), limit: { calls: 'x' } });
    expect(badLimit.body.error.param).to.equal('limit');
    expect(badLimit.body.error.message).to.contain("'limit.calls' must be integer");
    expect((await admin(gw.url, 'GET', '/api/admin/endpoints')).body.endpoints).to.have.length(1);
    expect((await admin(gw.url, 'GET', '/api/admin/audit?limit=0')).status).to.equal(400);
    expect((await admin(gw.url, 'GET', '/api/admin/audit?before=junk')).status).to.equal(400);
  });

  it('keeps secret values write-only: masked listings, served through $secret:NAME, rotated, deleted', async () => {
    const value = 'sk-stored-value-aaaaaaaaaaaa1234';
    const created = await admin(gw.url, 'POST', '/api/admin/secrets', { name: 'greeting', value });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ name: 'greeting', mask: '****1234' });
    expect(created.body.key_fingerprint).to.match(/^[0-9a-f]{16}$/);
    expect((await admin(gw.url, 'POST', '/api/admin/secrets', { name: 'greeting', value })).status).to.equal(409);

    // The mock answers with its `response` option: proof the value was decrypted for the instance.
    expect((await admin(gw.url, 'POST', '/api/admin/endpoints', mockEndpoint('secretive', { response: '$secret:greeting' }))).status).to.equal(201);
    expect((await chat(gw.url, 'secretive')).status).to.equal(200);
    const rotated = await admin(gw.url, 'PUT', '/api/admin/secrets/greeting', { value: 'sk-stored-value-bbbbbbbbbbbb5678' });
    expect(rotated.body.mask).to.equal('****5678');
    expect(gw.gateway.redactor.redact('sk-stored-value-bbbbbbbbbbbb5678')).to.not.contain('bbbb');

    const inUse = await admin(gw.url, 'DELETE', '/api/admin/secrets/greeting');
    expect(inUse.status).to.equal(409);
    expect(inUse.body.error.message).to.contain('"secretive"');

    const replies = [
      await admin(gw.url, 'GET', '/api/admin/secrets'),
      await admin(gw.url, 'GET', '/api/admin/endpoints'),
      await admin(gw.url, 'GET', '/api/admin/endpoints/secretive'),
      await admin(gw.url, 'GET', '/api/admin/audit'),
      created,
      rotated,
    ];
    for (const reply of replies) expect(reply.text).to.not.contain('sk-stored-value').and.not.contain('aaaaaaaaaaaa').and.not.contain('bbbbbbbbbbbb');
    expect(replies[0]!.body.secrets.map((s: object) => Object.keys(s).sort())).to.deep.equal([['created_at', 'key_fingerprint', 'mask', 'name', 'updated_at']]);

    await admin(gw.url, 'DELETE', '/api/admin/endpoints/secretive');
    expect((await admin(gw.url, 'DELETE', '/api/admin/secrets/greeting')).status).to.equal(200);
    expect((await admin(gw.url, 'GET', '/api/admin/secrets')).body.secrets).to.deep.equal([]);
    expect((await admin(gw.url, 'PUT', '/api/admin/secrets/greeting', { value: 'x' })).status).to.equal(404);
    expect((await admin(gw.url, 'DELETE', '/api/admin/secrets/greeting')).status).to.equal(404);
  });

  it('records every change in the audit log, newest first, paginated, without values', async () => {
    const first = await admin(gw.url, 'GET', '/api/admin/audit?limit=3');
    expect(first.status).to.equal(200);
    expect(first.body.entries).to.have.length(3);
    expect(first.body.entries[0]).to.include({ actor: 'admin', action: 'secret.delete', target: 'greeting' });
    const second = await admin(gw.url, 'GET', `/api/admin/audit?limit=500&before=${encodeURIComponent(first.body.next)}`);
    const all = [...first.body.entries, ...second.body.entries];
    expect(second.body.next).to.equal(null);
    const actions = all.map((e: { action: string; target: string }) => `${e.action} ${e.target}`);
    for (const expected of ['endpoint.create live', 'endpoint.update live', 'endpoint.delete live', 'route.create mix', 'route.update mix', 'route.delete mix', 'secret.create greeting', 'secret.rotate greeting']) {
      expect(actions).to.include(expected);
    }
    expect(new Set(all.map((e: { id: string }) => e.id)).size).to.equal(all.length);
    expect(JSON.stringify(all)).to.not.contain('sk-stored-value').and.not.contain('first answer');
  });

  it('manages gateway keys under /api/admin/keys too, and records their changes in the audit log', async () => {
    const created = await admin(gw.url, 'POST', '/api/admin/keys', { name: 'ci-bot', owner: 'platform' });
    expect(created.status, created.text).to.equal(201);
    const key = created.body.key as string;
    expect(key).to.be.a('string');
    const listed = await admin(gw.url, 'GET', '/api/keys');
    expect(listed.body.keys.map((k: { id: string }) => k.id)).to.include(created.body.id);
    expect((await admin(gw.url, 'GET', `/api/admin/keys/${created.body.id}`)).body.name).to.equal('ci-bot');
    expect((await call(gw.url, 'GET', '/api/admin/keys')).status).to.equal(401);
    expect((await admin(gw.url, 'DELETE', `/api/admin/keys/${created.body.id}`)).status).to.equal(200);
    const audit = await admin(gw.url, 'GET', '/api/admin/audit?limit=5');
    const entries = audit.body.entries as { action: string; target: string; detail: Record<string, unknown> | null }[];
    expect(entries.map((e) => `${e.action} ${e.target}`).slice(0, 2)).to.deep.equal([`key.revoke ${created.body.id}`, `key.create ${created.body.id}`]);
    expect(entries[1]!.detail).to.include({ name: 'ci-bot', owner: 'platform' });
    expect(audit.text).to.not.contain(key);
  });

  it('records keys created and revoked with `gatehouse keys` too, as the cli', async () => {
    const create = await runCliCommand(gw, 'keys', ['create', '--name', 'from-cli', '--owner', 'ops', '--json']);
    expect(create.code, create.err).to.equal(0);
    const created = JSON.parse(create.out) as { id: string; key: string };
    const revoke = await runCliCommand(gw, 'keys', ['revoke', created.id]);
    expect(revoke.code, revoke.err).to.equal(0);
    const audit = await admin(gw.url, 'GET', '/api/admin/audit?limit=5');
    const entries = audit.body.entries as { actor: string; action: string; target: string; detail: Record<string, unknown> | null }[];
    expect(entries.slice(0, 2).map((e) => `${e.actor} ${e.action} ${e.target}`)).to.deep.equal([`cli key.revoke ${created.id}`, `cli key.create ${created.id}`]);
    expect(entries[1]!.detail).to.include({ name: 'from-cli', owner: 'ops' });
    expect(audit.text).to.not.contain(created.key);
  });
});

describe('management API without an admin key or a master key', function () {
  this.timeout(30_000);
  const tmp = tempDir();
  let gw: TestGateway;

  before(async () => {
    gw = await startGateway({ dataDir: tmp.dir, admin: false, masterKey: null });
  });
  after(async () => {
    await gw.close();
    tmp.remove();
  });

  it('is off (403 saying how to set the admin key)', async () => {
    const reply = await call(gw.url, 'GET', '/api/admin/endpoints');
    expect(reply.status).to.equal(403);
    expect(reply.body.error.message).to.contain('keys.admin_key');
  });
});

describe('management API without a master key', function () {
  this.timeout(30_000);
  const tmp = tempDir();
  let gw: TestGateway;

  before(async () => {
    gw = await startGateway({ dataDir: tmp.dir, masterKey: null });
  });
  after(async () => {
    await gw.close();
    tmp.remove();
  });

  it('refuses to store secrets and says how to set a master key', async () => {
    const reply = await admin(gw.url, 'POST', '/api/admin/secrets', { name: 'x', value: 'sk-never-stored-1234567890' });
    expect(reply.status).to.equal(403);
    expect(reply.body.error.message).to.contain('GATEHOUSE_MASTER_KEY').and.to.contain('master_key_file');
    expect((await admin(gw.url, 'GET', '/api/admin/secrets')).body.secrets).to.deep.equal([]);
  });
});
