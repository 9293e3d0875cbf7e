import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { definePlugin } from '../src/define.js';
import { TempDir } from './fixtures.js';
import { postJson, scripted } from './helpers.js';
import { startTestGateway, type TestGateway } from '../src/testing/test-gateway.js';

const config = (text: string, extra = '') => `endpoints:
  - name: chat
    endpoint_type: llm/v1/chat
    model:
      provider: scripted
      name: m
      config:
        text: ${text}
${extra}`;

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('hot reload', () => {
  let tmp: TempDir;
  let gw: TestGateway;
  let file: string;
  const optionsSeen: unknown[] = [];
  const watcher = definePlugin({
    id: 'watcher',
    apiVersion: 1,
    optionsSchema: { type: 'object', properties: { level: { type: 'integer' } } },
    setup(api) {
      api.onConfig((options) => void optionsSeen.push(options));
    },
  });

  beforeEach(async () => {
    tmp = new TempDir();
    file = tmp.write('gatehouse.yaml', config('first'));
    gw = await startTestGateway({ configPath: file, providers: [scripted], discover: false, plugins: [{ definition: watcher }] });
  });
  afterEach(async () => {
    await gw.close();
    tmp.remove();
  });

  const ask = async (extra: object = {}) => postJson(`${gw.url}/v1/chat/completions`, { model: 'chat', messages: [{ role: 'user', content: 'x' }], ...extra });

  it('swaps in a valid edit without losing a request or cutting an open stream', async () => {
    const stream = fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'x' }], script: { chunks: 12, chunk_delay_ms: 40 } }),
    }).then((r) => r.text());
    let stop = false;
    const statuses: number[] = [];
    const traffic = (async () => {
      while (!stop) statuses.push((await ask()).status);
    })();
    await new Promise((r) => setTimeout(r, 60));
    writeFileSync(file, config('second', '  - { name: extra, endpoint_type: llm/v1/chat, model: { provider: scripted } }\n'));
    await until(async () => (await ask()).json.choices?.[0].message.content === 'second', 'the new config to serve');
    stop = true;
    await traffic;
    expect(statuses.length).to.be.greaterThan(5);
    expect(statuses.every((s) => s === 200), `statuses: ${statuses.join(',')}`).to.equal(true);
    const text = await stream;
    expect(text).to.contain('c11 ');
    expect(text.trimEnd().endsWith('data: [DONE]')).to.equal(true);
    expect(gw.gateway.snapshot.endpoints.has('extra')).to.equal(true);
  });

  it('keeps the last good config when an edit is invalid, and says so', async () => {
    writeFileSync(file, 'endpoints:\n  - name: chat\n    endpoint_type: nonsense\n');
    await until(() => gw.logs.some((l) => l.includes('config reload rejected')), 'the rejection to be logged');
    const line = gw.logs.find((l) => l.includes('config reload rejected'))!;
    expect(line).to.contain('/endpoints/0/endpoint_type');
    const res = await ask();
    expect(res.status).to.equal(200);
    expect(res.json.choices[0].message.content).to.equal('first');
  });

  it('hands plugins their new options and logs that a plugin change needs a restart', async () => {
    writeFileSync(file, `plugins:\n  - name: watcher\n    enabled: true\n${config('third')}`);
    await until(() => gw.logs.some((l) => l.includes('config reloaded')), 'the reload');
    expect(gw.logs.some((l) => l.includes('restart the gateway'))).to.equal(true);
    expect(optionsSeen.length).to.be.greaterThan(1);
  });
});
