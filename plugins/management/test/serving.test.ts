// Runtime changes take effect at once on /v1/chat/completions; removing an endpoint leaves a
// stream already running to finish; `gatehouse secrets rotate-master` re-encrypts every secret.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCliCommand, type TestGateway } from '@gatehousejs/core/testing';
import { admin, chat, mockEndpoint, startGateway, tempDir } from './helpers.js';

describe('runtime endpoints in service', function () {
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

  it('removes an endpoint without cutting a stream in flight', async () => {
    const words = Array.from({ length: 15 }, (_, i) => `w${i}`).join(' ');
    await admin(gw.url, 'POST', '/api/admin/endpoints', mockEndpoint('slow', { response: words, chunk_delay_ms: 30 }));
    const stream = fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    }).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 100));
    expect((await admin(gw.url, 'DELETE', '/api/admin/endpoints/slow')).status).to.equal(200);
    expect((await chat(gw.url, 'slow')).status).to.equal(404);
    const text = await stream;
    expect(text).to.contain('w14');
    expect(text.trimEnd().endsWith('data: [DONE]')).to.equal(true);
  });

  it('re-encrypts every secret under a new master key with `gatehouse secrets rotate-master`', async () => {
    await admin(gw.url, 'POST', '/api/admin/secrets', { name: 'one', value: 'answer-one' });
    await admin(gw.url, 'POST', '/api/admin/secrets', { name: 'two', value: 'answer-two' });
    await admin(gw.url, 'POST', '/api/admin/endpoints', mockEndpoint('uses-two', { response: '$secret:two' }));
    const before = (await admin(gw.url, 'GET', '/api/admin/secrets')).body.secrets as { key_fingerprint: string }[];

    const newKey = randomBytes(32).toString('base64');
    const keyFile = path.join(tmp.dir, 'new-master.key');
    writeFileSync(keyFile, `${newKey}\n`);
    const rotated = await runCliCommand(gw, 'secrets', ['rotate-master', '--new-key-file', keyFile]);
    expect(rotated.code, rotated.err).to.equal(0);
    expect(rotated.out).to.contain('re-encrypted 2 secret(s)');
    expect(rotated.out + rotated.err).to.not.contain('answer-');

    // A gateway given the new key serves with the same secrets.
    await gw.close();
    gw = await startGateway({ dataDir: tmp.dir, masterKey: newKey });
    const after = (await admin(gw.url, 'GET', '/api/admin/secrets')).body.secrets as { key_fingerprint: string }[];
    expect(after.map((s) => s.key_fingerprint)).to.not.include(before[0]!.key_fingerprint);
    expect(new Set(after.map((s) => s.key_fingerprint)).size).to.equal(1);
    expect((await chat(gw.url, 'uses-two')).body.choices[0].message.content).to.equal('answer-two');
    const audit = (await admin(gw.url, 'GET', '/api/admin/audit')).body.entries as { action: string; actor: string }[];
    expect(audit.find((e) => e.action === 'secrets.rotate-master')).to.include({ actor: 'cli' });
  });

  it('starts with the file entries when stored ones cannot be built (no master key), and says why', async () => {
    await gw.close();
    gw = await startGateway({ dataDir: tmp.dir, masterKey: null });
    expect((await chat(gw.url, 'chat')).status).to.equal(200);
    expect((await chat(gw.url, 'uses-two')).status).to.equal(404);
    expect(gw.logs.some((l) => l.includes('applying the stored entries failed') && l.includes('master key'))).to.equal(true);
    expect(gw.logs.join('\n')).to.not.contain('answer-two');
    // The operator can still see and remove what does not build.
    expect((await admin(gw.url, 'GET', '/api/admin/endpoints/uses-two')).body.source).to.equal('api');
    expect((await admin(gw.url, 'DELETE', '/api/admin/endpoints/uses-two')).status).to.equal(200);
  });
});
