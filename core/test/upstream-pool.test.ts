import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postJson } from './helpers.js';
import { httpChat } from './flaky-upstream.js';
import { startTestGateway } from '../src/testing/test-gateway.js';

// server.upstream_connections sizes the gateway's pool per upstream origin.
describe('the upstream connection pool', function () {
  this.timeout(20_000);
  let server: http.Server;
  let url: string;
  let open = 0;
  let most = 0;
  const sockets = new Set<unknown>();

  before(async () => {
    server = http.createServer((req, res) => {
      open++;
      most = Math.max(most, open);
      req.resume();
      // Slow enough that concurrent calls overlap unless the pool makes them wait.
      setTimeout(() => {
        open--;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }));
      }, 60);
    });
    server.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function burst(connections: number | undefined): Promise<{ most: number; sockets: number }> {
    open = 0;
    most = 0;
    sockets.clear();
    const gw = await startTestGateway({
      discover: false,
      providers: [httpChat],
      config: {
        ...(connections === undefined ? {} : { server: { upstream_connections: connections } }),
        endpoints: [{ name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'http-chat', name: 'm', config: { api_base: url } } }],
      },
    });
    try {
      const replies = await Promise.all(Array.from({ length: 4 }, () => postJson(`${gw.url}/v1/chat/completions`, { model: 'chat', messages: [{ role: 'user', content: 'hi' }] })));
      expect(replies.map((r) => r.status)).to.deep.equal([200, 200, 200, 200]);
    } finally {
      await gw.close();
    }
    return { most, sockets: sockets.size };
  }

  it('opens at most upstream_connections connections per origin; calls beyond wait for one', async () => {
    expect(await burst(1)).to.deep.equal({ most: 1, sockets: 1 });
    expect(await burst(2)).to.deep.equal({ most: 2, sockets: 2 });
  });

  it('by default serves a burst in parallel', async () => {
    expect((await burst(undefined)).most).to.equal(4);
  });
});
