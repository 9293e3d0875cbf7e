// `gatehouse keys create|list|revoke` on a real SQLite file (the CLI as a child process, as an
// operator runs it) and on the real PostgreSQL, where two gateways see each other's keys.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestGateway } from '@gatehousejs/core/testing';
import { admin, ADMIN_KEY, chat, dropSchemas, PG_URL, printedKey, runKeys, schemaName, startKeysGateway, tempDir, waitFor } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const run = promisify(execFile);

describe('gatehouse keys', function () {
  this.timeout(60_000);

  describe('on a SQLite file, as a child process', () => {
    const tmp = tempDir();
    const config = path.join(tmp.dir, 'gatehouse.yaml');

    before(() => {
      writeFileSync(
        config,
        [
          'plugins:',
          `  - ${JSON.stringify(path.join(ROOT, 'providers/mock'))}`,
          `  - ${JSON.stringify(path.join(ROOT, 'plugins/usage'))}`,
          `  - ${JSON.stringify(path.join(ROOT, 'plugins/keys'))}`,
          'endpoints:',
          '  - { name: chat, endpoint_type: llm/v1/chat, model: { provider: mock, name: m } }',
          `usage: { data_dir: ${JSON.stringify(tmp.dir)} }`,
          '',
        ].join('\n'),
      );
    });
    after(() => tmp.remove());

    // cwd in the temp directory: nothing is discovered from the repo's package.json.
    const cli = async (...args: string[]) => {
      try {
        const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'core/bin/gatehouse.js'), 'keys', ...args, '--config', config], { cwd: tmp.dir });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    };

    it('creates, lists and revokes keys in the file; the secret is printed once', async () => {
      const created = await cli('create', '--name', 'ci-bot', '--owner', 'ci@example.com', '--endpoints', 'chat,emb', '--expires', '30d', '--limit-requests', '60/minute', '--limit-tokens', '100000/day');
      expect(created.code, created.stderr).to.equal(0);
      const key = printedKey(created.stdout);
      expect(created.stdout).to.contain('cannot show it again').and.contain('usage.sqlite');
      const id = key.slice(3, 19);

      const listed = await cli('list');
      expect(listed.code).to.equal(0);
      expect(listed.stdout).to.match(new RegExp(`${id}\\s+ci-bot\\s+ci@example.com\\s+chat,emb\\s+\\S+\\s+active\\s+store`));
      expect(listed.stdout).to.not.contain(key.slice(20));
      const json = JSON.parse((await cli('list', '--json')).stdout) as Record<string, unknown>[];
      expect(json).to.have.length(1);
      expect(json[0]).to.deep.include({ id, name: 'ci-bot', limits: { requests: { calls: 60, renewal_period: 'minute' }, tokens: { tokens: 100000, renewal_period: 'day' } } });
      expect(JSON.stringify(json)).to.not.contain(key.slice(20));

      const revoked = await cli('revoke', id);
      expect(revoked.code, revoked.stderr).to.equal(0);
      expect(revoked.stdout).to.contain(`Revoked key ${id}`);
      expect((await cli('list')).stdout).to.match(new RegExp(`${id}.*revoked`));
    });

    it('exits 2 naming the flag on bad input, and on an unknown key id', async () => {
      const noName = await cli('create');
      expect(noName.code).to.equal(2);
      expect(noName.stderr).to.contain('--name');
      const badLimit = await cli('create', '--name', 'x', '--limit-requests', '60/fortnight');
      expect(badLimit.code).to.equal(2);
      expect(badLimit.stderr).to.contain('--limit-requests must be N/PERIOD');
      const badExpiry = await cli('create', '--name', 'x', '--expires', 'someday');
      expect(badExpiry.code).to.equal(2);
      expect(badExpiry.stderr).to.contain('--expires');
      const unknown = await cli('revoke', '0123456789abcdef');
      expect(unknown.code).to.equal(2);
      expect(unknown.stderr).to.contain('No key with id');
      expect((await cli('frobnicate')).code).to.equal(2);
    });
  });

  describe('on PostgreSQL, shared by two gateways', () => {
    const schema = schemaName();
    let a: TestGateway;
    let b: TestGateway;

    before(async () => {
      a = await startKeysGateway({ pgSchema: schema }, { admin_key: ADMIN_KEY, refresh_seconds: 0.2 });
      b = await startKeysGateway({ pgSchema: schema }, { admin_key: ADMIN_KEY, refresh_seconds: 0.2 });
    });
    after(async () => {
      await a?.close();
      await b?.close();
      await dropSchemas(schema);
    });

    it('a key created with the CLI on one works on the other, and so does its revocation', async () => {
      const created = await runKeys(a, ['create', '--name', 'shared', '--endpoints', 'chat']);
      expect(created.code, created.err).to.equal(0);
      expect(created.out).to.contain(`postgres: postgresql://${new URL(PG_URL).host}`);
      const key = printedKey(created.out);
      expect((await chat(a.url, 'chat', key)).status).to.equal(200);
      // b was open (no key existed) until its next refresh: then the key's allowlist applies there too.
      await waitFor('b to refuse the key off its allowlist', async () => (await chat(b.url, 'chat-b', key)).status === 403);
      expect((await chat(b.url, 'chat', key)).status).to.equal(200);
      expect((await chat(b.url, 'chat')).status).to.equal(401);

      const listed = await runKeys(b, ['list', '--json']);
      expect((JSON.parse(listed.out) as { name: string }[]).map((k) => k.name)).to.deep.equal(['shared']);

      const id = key.slice(3, 19);
      expect((await runKeys(b, ['revoke', id])).code).to.equal(0);
      expect((await chat(b.url, 'chat', key)).status).to.equal(401);
      await waitFor('a to refuse the key', async () => (await chat(a.url, 'chat', key)).status === 401, 3000);
    });

    it('keys created over the admin API are in the same table', async () => {
      const created = await admin(b.url, 'POST', '/api/keys', { name: 'from-api' });
      const seen = await admin(a.url, 'GET', `/api/keys/${created.body.id}`);
      expect(seen.status).to.equal(200);
      expect(seen.body.name).to.equal('from-api');
      await waitFor('a to accept it', async () => (await chat(a.url, 'chat', created.body.key)).status === 200);
    });
  });
});
