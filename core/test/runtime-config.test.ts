// Plugin-contributed endpoints and routes (api.runtimeConfig) and stored-secret references
// (`$secret:NAME`, api.secrets): the same validation and atomic swap as a hot reload.
import { expect } from 'chai';
import { definePlugin } from '../src/define.js';
import type { PluginApi, RuntimeEntries } from '../src/api/plugin.js';
import type { EndpointConfig } from '../src/config/types.js';
import { writeFileSync } from 'node:fs';
import { postJson, scripted } from './helpers.js';
import { TempDir } from './fixtures.js';
import { startTestGateway, type TestGateway } from '../src/testing/test-gateway.js';

const fileConfig = {
  endpoints: [{ name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'scripted', name: 'm', config: { text: 'from file' } } }],
};

const chatEntry = (name: string, config: Record<string, unknown>): EndpointConfig => ({ name, endpoint_type: 'llm/v1/chat', model: { provider: 'scripted', name: 'm', config } });

describe('runtime endpoints and stored secrets', () => {
  let gw: TestGateway;
  let api!: PluginApi;
  const secrets = new Map<string, { value: string; version: number }>();
  const probe = definePlugin({
    id: 'probe',
    apiVersion: 1,
    setup(given) {
      api = given as PluginApi;
      api.secrets.provide({
        resolve: async (name) => secrets.get(name)?.value,
        stamp: (name) => String(secrets.get(name)?.version),
      });
    },
  });
  const set = (entries: Partial<RuntimeEntries>) => api.runtimeConfig.set({ endpoints: [], routes: [], ...entries });
  const ask = (model: string) => postJson(`${gw.url}/v1/chat/completions`, { model, messages: [{ role: 'user', content: 'x' }] });

  beforeEach(async () => {
    secrets.clear();
    gw = await startTestGateway({ config: fileConfig, providers: [scripted], discover: false, plugins: [{ definition: probe }] });
  });
  afterEach(() => gw.close());

  it('serves runtime endpoints and routes beside the file and removes them again', async () => {
    await set({
      endpoints: [chatEntry('live', { text: 'from api' })],
      routes: [{ name: 'split', task_type: 'llm/v1/chat', destinations: [{ name: 'live', traffic_percentage: 100 }], routing_strategy: 'TRAFFIC_SPLIT' }],
    });
    expect((await ask('live')).json.choices[0].message.content).to.equal('from api');
    expect((await ask('split')).json.choices[0].message.content).to.equal('from api');
    expect(api.runtimeConfig.fileEntries().endpoints.map((e) => e.name)).to.deep.equal(['chat']);
    const fileInstance = gw.gateway.snapshot.endpoints.get('chat')!.instance;
    await set({});
    expect((await ask('live')).status).to.equal(404);
    expect(gw.gateway.snapshot.endpoints.get('chat')!.instance, 'unchanged file endpoint reused').to.equal(fileInstance);
  });

  it('rejects an invalid entry with a 400 naming the entry and field, and keeps serving', async () => {
    const bad = set({ endpoints: [{ ...chatEntry('broken', {}), endpoint_type: 'nonsense' } as never] });
    const error = await bad.then(() => undefined, (e: unknown) => e as { status: number; message: string });
    expect(error?.status).to.equal(400);
    expect(error?.message).to.contain('endpoint_type').and.to.contain('probe endpoint "broken"');
    expect((await ask('chat')).status).to.equal(200);
  });

  it('refuses a name the file uses', async () => {
    const error = await set({ endpoints: [chatEntry('chat', {})] }).then(() => undefined, (e: unknown) => e as { status: number; message: string });
    expect(error?.status).to.equal(400);
    expect(error?.message).to.contain('duplicate name "chat"');
  });

  it('resolves $secret:NAME, masks the value and rebuilds the instance when its stamp moves', async () => {
    secrets.set('prod', { value: 'sk-stored-secret-one-123456', version: 1 });
    await set({ endpoints: [chatEntry('live', { api_key: '$secret:prod' })] });
    expect(gw.gateway.redactor.redact('key sk-stored-secret-one-123456')).to.not.contain('sk-stored');
    const first = gw.gateway.snapshot.endpoints.get('live')!.instance;
    await set({ endpoints: [chatEntry('live', { api_key: '$secret:prod' })] });
    expect(gw.gateway.snapshot.endpoints.get('live')!.instance, 'same stamp: reused').to.equal(first);
    secrets.set('prod', { value: 'sk-stored-secret-two-123456', version: 2 });
    await set({ endpoints: [chatEntry('live', { api_key: '$secret:prod' })] });
    expect(gw.gateway.snapshot.endpoints.get('live')!.instance).to.not.equal(first);
  });

  it('names a missing stored secret without a value', async () => {
    const error = await set({ endpoints: [chatEntry('live', { api_key: '$secret:nope' })] }).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).to.contain('stored secret "nope", which does not exist');
  });

  it('keeps runtime entries across a file reload, and rejects a file edit that takes their name', async () => {
    const tmp = new TempDir();
    const yaml = (name: string) => `endpoints:\n  - { name: ${name}, endpoint_type: llm/v1/chat, model: { provider: scripted, name: m } }\n`;
    const file = tmp.write('gatehouse.yaml', yaml('chat'));
    await gw.close();
    gw = await startTestGateway({ configPath: file, providers: [scripted], discover: false, plugins: [{ definition: probe }] });
    try {
      await set({ endpoints: [chatEntry('live', { text: 'from api' })] });
      writeFileSync(file, yaml('other'));
      expect(await gw.gateway.reload()).to.equal(true);
      expect((await ask('other')).status).to.equal(200);
      expect((await ask('live')).json.choices[0].message.content).to.equal('from api');
      writeFileSync(file, yaml('live'));
      expect(await gw.gateway.reload()).to.equal(false);
      expect(gw.logs.some((l) => l.includes('config reload rejected') && l.includes('duplicate name \\"live\\"'))).to.equal(true);
      expect((await ask('live')).json.choices[0].message.content).to.equal('from api');
    } finally {
      tmp.remove();
    }
  });

  it('lets one plugin only resolve stored secrets', async () => {
    const second = definePlugin({ id: 'second', apiVersion: 1, setup: (a) => a.secrets.provide({ resolve: async () => undefined, stamp: () => undefined }) });
    const error = await startTestGateway({ config: fileConfig, providers: [scripted], discover: false, plugins: [{ definition: probe }, { definition: second }] }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).to.contain('plugin "probe" already does');
  });
});
