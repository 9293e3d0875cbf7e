// requestSSE against a real local server: events in order however the bytes are cut, the
// socket paused while the reader falls behind, upstream errors and failures mid-stream coded.
import { expect } from 'chai';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { requestSSE } from '../src/upstream/http.js';
import { callContext } from '../src/testing/provider-harness.js';
import { isGatewayError } from '../src/errors.js';

type Route = (res: ServerResponse) => void;

describe('upstream server-sent events (requestSSE)', () => {
  let server: Server;
  let url: string;
  const routes = new Map<string, Route>();
  const agent = new Agent({ connections: 4 });

  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      const route = routes.get(req.url ?? '');
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      route(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await agent.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const open = (path: string, call = callContext()) => requestSSE(agent, { provider: 'Test', url: `${url}${path}`, method: 'POST', body: {} }, call);

  async function collect(events: AsyncIterable<{ data: string; event?: string }>): Promise<string[]> {
    const seen: string[] = [];
    for await (const event of events) seen.push(event.event ? `${event.event}:${event.data}` : event.data);
    return seen;
  }

  it('yields every event in order, however the bytes are cut, and a last one without its blank line', async () => {
    routes.set('/cut', (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const text = 'data: {"n":1}\n\nevent: ping\ndata: x\n\ndata: {"n":2}\n\ndata: é€\n\ndata: last';
      // Byte by byte, a multi-byte character split across writes.
      const bytes = Buffer.from(text);
      let i = 0;
      const timer = setInterval(() => {
        if (i >= bytes.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(bytes.subarray(i, i + 3));
        i += 3;
      }, 1);
    });
    expect(await collect(await open('/cut'))).to.deep.equal(['{"n":1}', 'ping:x', '{"n":2}', 'é€', 'last']);
  });

  it('pauses the upstream while the reader falls behind, and loses nothing', async () => {
    // ~22 MB: far more than loopback socket buffers hold (a few MB), so only a paused socket
    // stops the server before its end.
    const total = 100_000;
    let written = 0;
    routes.set('/flood', (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let n = 0;
      const pump = () => {
        while (n < total) {
          const ok = res.write(`data: {"n":${n++},"pad":"${'x'.repeat(200)}"}\n\n`);
          written = n;
          if (!ok) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const events = await open('/flood');
    // Read nothing for a while: the paused socket must hold the server back.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const writtenWhileIdle = written;
    let expected = 0;
    for await (const event of events) {
      expect((JSON.parse(event.data) as { n: number }).n).to.equal(expected++);
      if (expected % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(expected).to.equal(total);
    expect(writtenWhileIdle, 'events the server could write while nobody read').to.be.below(total / 2);
  });

  it('rejects before any event when the upstream refuses, with its message', async () => {
    routes.set('/refused', (res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' });
      res.end(JSON.stringify({ error: { message: 'slow down', type: 'rate_limit' } }));
    });
    const error = await open('/refused').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isGatewayError(error)).to.equal(true);
    expect(error).to.include({ code: 'GW_ERR_RATE_LIMITED', retryAfter: 3 });
    expect((error as Error).message).to.contain('slow down');
  });

  it('turns a connection cut mid-stream into a coded error after the events that arrived', async () => {
    routes.set('/cut-off', (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of await open('/cut-off')) seen.push(event.data);
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(seen).to.deep.equal(['{"n":1}']);
    expect(error).to.have.property('code', 'GW_ERR_UPSTREAM_UNAVAILABLE');
  });

  it("ends a stream that outlives the call's total timeout with a 504", async () => {
    routes.set('/endless', (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => res.write('data: {}\n\n'), 10);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const error = await collect(await open('/endless', callContext({ timeoutMs: 150 }))).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.have.property('code', 'GW_ERR_UPSTREAM_TIMEOUT');
    expect(Date.now() - started).to.be.within(100, 2000);
  });
});

describe('SSEEvents queue', () => {
  it('keeps order and loses nothing when the reader never quite catches up (taken slots are dropped as it goes)', async () => {
    const { SSEEvents } = await import('../src/upstream/sse-events.js');
    let done = 0;
    const events = new SSEEvents((e) => e, () => done++, () => false);
    const paused: string[] = [];
    events.attach({ pause: () => paused.push('pause'), resume: () => paused.push('resume'), abort: () => undefined } as never);
    let next = 0;
    // Three events in, two out, 5,000 times: the queue never empties.
    for (let round = 0; round < 5000; round++) {
      events.data(Buffer.from(`data: ${round * 3}\n\ndata: ${round * 3 + 1}\n\ndata: ${round * 3 + 2}\n\n`));
      for (let i = 0; i < 2; i++) {
        const step = await events.next();
        expect(step.value!.data).to.equal(String(next++));
      }
    }
    events.end();
    for (;;) {
      const step = await events.next();
      if (step.done) break;
      expect(step.value.data).to.equal(String(next++));
    }
    expect(next).to.equal(15_000);
    expect(done, 'released once').to.equal(1);
    expect(paused[0]).to.equal('pause');
  });
});
