// The benchmark's load must look like independent clients: paced streams keep their own
// schedule (the emulator) and connections do not start in step (the load generator). Streams in
// step arrive in bursts, and the first chunk then measures a queue, not the gateway.
import { expect } from 'chai';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const bench = (file: string) => fileURLToPath(new URL(`../../bench/${file}`, import.meta.url));
const emulator = (await import(bench('upstream-emulator.js'))) as {
  startEmulator(options: { chunkDelayMs: number }): Promise<{ port: number; close(): Promise<void> }>;
};
const load = (await import(bench('load.js'))) as {
  createPool(origin: string, connections: number): { close(): Promise<void> };
  runLoad(options: { pool: unknown; connections: number; durationMs: number; send: (pool: never, started: number) => Promise<{ bytes: number }>; staggerMs?: number }): Promise<{ ok: number; errors: number }>;
};

/** Arrival time of each frame of one paced stream (a frame per `data:` line the client sees). */
function streamFrameTimes(port: number, sink: number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' } }, (res) => {
      res.on('data', (chunk: Buffer) => {
        const at = performance.now();
        for (const line of chunk.toString('utf8').split('\n')) if (line.startsWith('data: ')) sink.push(at);
      });
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true }));
  });
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
const busyFor = (ms: number) => { const until = performance.now() + ms; while (performance.now() < until); };

describe('bench load', () => {
  it('keeps each paced stream on its own schedule after the event loop stalls', async () => {
    const server = await emulator.startEmulator({ chunkDelayMs: 30 });
    try {
      const first: number[] = [];
      const second: number[] = [];
      const a = streamFrameTimes(server.port, first);
      await new Promise((r) => setTimeout(r, 15));
      const b = streamFrameTimes(server.port, second);
      // After a few paced frames of each, stall: each stream's next frames fall due during the
      // stall and go out in one pass of the timers.
      while (second.length < 5) await new Promise((r) => setTimeout(r, 1));
      const offsetOf = (i: number) => second[i] - first[i];
      const before = median([2, 3, 4].map(offsetOf));
      busyFor(100);
      await Promise.all([a, b]);
      expect(first.length).to.equal(second.length);
      expect(before).to.be.above(5);
      // Well after the stall each stream is back on its own schedule, as far apart as before;
      // streams restarted together would stay within a millisecond or two of each other.
      const after = median([-4, -3, -2].map((k) => offsetOf(first.length + k)));
      expect(after).to.be.closeTo(before, 3);
    } finally {
      await server.close();
    }
  });

  it('spreads the connections\' first requests over staggerMs', async () => {
    const arrivals: number[] = [];
    const server = http.createServer((req, res) => {
      arrivals.push(performance.now());
      // Slower than the run: each worker sends one request.
      req.resume().on('end', () => setTimeout(() => res.end('ok'), 300));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const pool = load.createPool(`http://127.0.0.1:${port}`, 8);
    try {
      let sent = 0;
      const send = async (p: never) => {
        const response = await (p as { request(o: object): Promise<{ body: { dump(): Promise<void> } }> }).request({ method: 'POST', path: '/', body: 'x' });
        await response.body.dump();
        sent++;
        return { bytes: 2 };
      };
      const result = await load.runLoad({ pool, connections: 8, durationMs: 200, send, staggerMs: 160 });
      expect(result.errors).to.equal(0);
      expect(sent).to.equal(8);
      const firsts = arrivals.slice(0, 8);
      // Worker i starts i/8 of 160 ms late: the first requests span ~140 ms, not one burst.
      expect(firsts[7] - firsts[0]).to.be.within(100, 400);
      for (let i = 1; i < 8; i++) expect(firsts[i] - firsts[i - 1]).to.be.above(5);
    } finally {
      await pool.close();
      await new Promise((r) => server.close(r));
    }
  });
});
