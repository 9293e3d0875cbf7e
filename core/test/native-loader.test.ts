import { expect } from 'chai';
import { Gateway } from '../src/gateway.js';
import { TempDir } from './fixtures.js';
import { silentLogger } from '../src/testing/provider-harness.js';

/** A provider module declaring native routes at `paths`; sets `loadedFlag` on globalThis when evaluated. */
function nativeSource(id: string, paths: string[], loadedFlag: string): string {
  const routes = paths.map((path) => ({ method: 'POST', path, handler: `${id}.echo`, endpointType: 'llm/v1/chat' }));
  return `
globalThis[${JSON.stringify(loadedFlag)}] = true;
const def = {
  id: ${JSON.stringify(id)},
  aliases: [],
  apiVersion: 1,
  nativeRoutes: ${JSON.stringify(routes)},
  create: () => ({ native: { ${JSON.stringify(`${id}.echo`)}: async (req) => ({ status: 200, body: req.body }) } }),
};
Object.defineProperty(def, Symbol.for('gatehouse.provider'), { value: true });
export default def;
`;
}

const chatEndpoint = (provider: string) => `endpoints:\n  - name: chat\n    endpoint_type: llm/v1/chat\n    model:\n      provider: ${provider}\n      name: m\n`;

describe('loader: providers with native routes (gatehousePlugin.routes)', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = new TempDir();
    tmp.write('package.json', { name: 'deploy', dependencies: { nat: '1' } });
  });
  afterEach(() => tmp.remove());

  const start = () => Gateway.create({ cwd: tmp.dir, watch: false, logger: silentLogger() });
  const startError = () => start().then(
    async (gw) => {
      await gw.close();
      throw new Error('expected start-up to fail');
    },
    (e: Error & { code?: string }) => e,
  );

  it('imports a provider that lists route prefixes at start-up, although no endpoint names it, and mounts its routes', async () => {
    tmp.addPackage('nat', { kind: 'provider', id: 'nat', apiVersion: 1, routes: ['/nat/v1'] }, nativeSource('nat', ['/nat/v1/echo'], '__natLoaded'));
    tmp.write('gatehouse.config.yaml', 'endpoints: []\n');
    const gw = await start();
    try {
      expect((globalThis as Record<string, unknown>).__natLoaded).to.equal(true);
      expect(gw.nativeRoutes.map((r) => [r.provider, r.path])).to.deep.equal([['nat', '/gateway/nat/v1/echo']]);
    } finally {
      await gw.close();
    }
  });

  it('refuses a provider whose native routes its package.json does not list (they would never be mounted)', async () => {
    tmp.addPackage('nat', { kind: 'provider', id: 'nat', apiVersion: 1 }, nativeSource('nat', ['/nat/v1/echo'], '__natLoaded2'));
    tmp.write('gatehouse.config.yaml', chatEndpoint('nat'));
    const error = await startError();
    expect(error.message).to.contain('"nat" declares native routes (/nat/v1/echo) that its package.json gatehousePlugin.routes [] does not cover');
  });

  it('refuses a route outside the listed prefixes, and prefixes without routes', async () => {
    tmp.addPackage('nat', { kind: 'provider', id: 'nat', apiVersion: 1, routes: ['/nat/v1'] }, nativeSource('nat', ['/nat/v10/echo'], '__natLoaded3'));
    tmp.write('gatehouse.config.yaml', 'endpoints: []\n');
    expect((await startError()).message).to.contain('declares native routes (/nat/v10/echo)');
    // Another package: the module above stays in the import cache.
    tmp.write('package.json', { name: 'deploy', dependencies: { natb: '1' } });
    tmp.addPackage('natb', { kind: 'provider', id: 'natb', apiVersion: 1, routes: ['/natb/v1'] }, nativeSource('natb', [], '__natLoaded4'));
    expect((await startError()).message).to.contain('gatehousePlugin.routes is ["/natb/v1"] but its export says []');
  });

  it('refuses routes that are not a list of "/..." prefixes, without importing the package', async () => {
    tmp.addPackage('nat', { kind: 'provider', id: 'nat', apiVersion: 1, routes: '/nat/v1' }, nativeSource('nat', ['/nat/v1/echo'], '__natLoaded5'));
    tmp.write('gatehouse.config.yaml', 'endpoints: []\n');
    const error = await startError();
    expect(error.code).to.equal('GW_ERR_PLUGIN_LOAD');
    expect(error.message).to.contain('routes must be a list of native route path prefixes under /gateway');
    expect((globalThis as Record<string, unknown>).__natLoaded5).to.equal(undefined);
  });
});
