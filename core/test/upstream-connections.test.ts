import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { requestSSE } from '../src/upstream/http.js';
import { callContext } from '../src/testing/provider-harness.js';

// A reader that stops at `[DONE]` (as providers do) must leave the connection usable for the
// next call; a cancelled call must close it.
describe('upstream streams and their connections', () => {
  let server: Server;
  let url: string;
  let connections = 0;
  let closed = 0;
  let slowClosed = false;
  const agent = new Agent({ connections: 4 });

  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (req.url === '/slow') {
        // Keeps generating until the reader goes away.
        const timer = setInterval(() => res.write('data: {"more":true}\n\n'), 5);
        res.on('close', () => {
          clearInterval(timer);
          slowClosed = true;
        });
        return;
      }
      res.write('data: {"n":1}\n\n');
      res.write('data: [DONE]\n\n');
      // The end comes a moment after [DONE], as it can from a real server.
      setTimeout(() => res.end(), 5);
    });
    server.on('connection', (socket) => {
      connections += 1;
      socket.on('close', () => (closed += 1));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await agent.close();
    await new Promise((resolve) => server.close(resolve));
  });

  async function readUntilDone(path: string, signal?: AbortSignal): Promise<string[]> {
    const events = await requestSSE(agent, { provider: 'Test', url: `${url}${path}`, method: 'POST', body: {} }, callContext(signal ? { signal } : {}));
    const seen: string[] = [];
    for await (const event of events) {
      if (event.data === '[DONE]') break;
      seen.push(event.data);
    }
    return seen;
  }

  it('keeps one connection for calls whose reader stops at [DONE] before the body ends', async () => {
    for (let i = 0; i < 4; i++) {
      expect(await readUntilDone('/done')).to.deep.equal(['{"n":1}']);
      // The body's end arrives 5 ms after [DONE]; the next call then finds the connection free.
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(connections).to.equal(1);
    expect(closed).to.equal(0);
  });

  it('closes the connection of a call cancelled mid-stream', async () => {
    const before = closed;
    slowClosed = false;
    const controller = new AbortController();
    const events = await requestSSE(agent, { provider: 'Test', url: `${url}/slow`, method: 'POST', body: {} }, callContext({ signal: controller.signal }));
    let count = 0;
    await (async () => {
      for await (const _event of events) {
        if (++count === 2) {
          controller.abort(new Error('client gone'));
          break;
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    expect(slowClosed, 'the server saw the call end').to.equal(true);
    expect(closed).to.be.greaterThan(before);
  });
});
