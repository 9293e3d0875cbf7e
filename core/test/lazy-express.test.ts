// Express is loaded on the first request that needs it (server.ts): traffic and health checks
// never load it; a route pattern it could not mount still fails start-up.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { definePlugin } from '../src/define.js';
import { startCore } from './helpers.js';

describe('express on first use', () => {
  it('is not loaded by start-up, the traffic routes or GET /health, and answers the rest once loaded', async function () {
    this.timeout(20_000);
    const script = fileURLToPath(new URL('./lazy-express-script.js', import.meta.url));
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => child.on('close', resolve));
    const result = JSON.parse(out);
    expect(result).to.include({ atStart: false, afterTraffic: false, afterListing: true, chatStatus: 200, modelsStatus: 200 });
    // The health check answered without express is the one express's route gives.
    expect(result.direct).to.deep.equal(result.viaExpress);
    expect(result.direct).to.deep.include({ status: 200, body: '{"status":"OK"}' });
  });

  it('serves the plugin routes registered by start-up, as when express was built at start-up, not one added later', async () => {
    let late: (() => void) | undefined;
    const plugin = definePlugin({
      id: 'routes',
      apiVersion: 1,
      setup(api) {
        api.http.route({ method: 'GET', path: '/early', handler: () => ({ body: { early: true } }) });
        late = () => api.http.route({ method: 'GET', path: '/late', handler: () => ({ body: { late: true } }) });
      },
    });
    const gw = await startCore({ plugins: [{ definition: plugin }] });
    try {
      late!();
      expect(await (await fetch(`${gw.url}/plugins/routes/early`)).json()).to.deep.equal({ early: true });
      expect((await fetch(`${gw.url}/plugins/routes/late`)).status).to.equal(404);
    } finally {
      await gw.close();
    }
  });

  it('still fails start-up on a plugin route pattern express cannot mount, with its error', async () => {
    const plugin = definePlugin({
      id: 'bad-route',
      apiVersion: 1,
      setup(api) {
        api.http.route({ method: 'GET', path: '/files/*', handler: () => ({ body: {} }) });
      },
    });
    let error: unknown;
    try {
      const gw = await startCore({ plugins: [{ definition: plugin }] });
      await gw.close();
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(TypeError);
    expect((error as Error).message).to.match(/^Missing parameter name at index \d+: \/plugins\/bad-route\/files\/\*/);
  });
});
