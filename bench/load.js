// A small bounded load generator: N workers on an undici Pool of N connections (no pipelining)
// send requests back to back for a fixed time; latency, errors and stream timings are recorded
// with performance.now() (the monotonic high-resolution clock behind process.hrtime).
import { Pool } from 'undici';
import { summarize } from './stats.js';

// A delta or completion chunk carrying text: `"content":"x` or `"text":"x` (the role chunk's
// empty content does not count, so this is the time to the first token the user would see).
const CONTENT = /"(?:content|text)"\s*:\s*"[^"]/;
const TAIL = 64;
const ERROR_BODY_LIMIT = 300;
const sleep = (msec) => new Promise((resolve) => setTimeout(resolve, msec));

/** A pool sized for `connections` concurrent requests; timeouts keep a hung server from stalling the run. */
export function createPool(origin, connections, { timeoutMs = 15_000 } = {}) {
  return new Pool(origin, {
    connections,
    pipelining: 1,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 30_000,
  });
}

class HttpError extends Error {
  constructor(status, text) {
    super(`HTTP ${status}: ${text}`);
    this.kind = `HTTP ${status}`;
  }
}

async function readErrorText(body) {
  let text = '';
  for await (const chunk of body) if (text.length < ERROR_BODY_LIMIT) text += chunk.toString('utf8');
  return text.slice(0, ERROR_BODY_LIMIT).replace(/\s+/g, ' ');
}

/**
 * A request function for runLoad: POST `body` (a JSON string) to `path`.
 * With `stream`, it also reports the time to the first content chunk and checks for `[DONE]`.
 */
export function postJson({ path, body, headers = {}, stream = false }) {
  const options = {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json', ...headers },
    body,
  };
  return async function send(pool, started) {
    const response = await pool.request(options);
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new HttpError(response.statusCode, await readErrorText(response.body));
    }
    let bytes = 0;
    if (!stream) {
      for await (const chunk of response.body) bytes += chunk.length;
      return { bytes };
    }
    let firstContentAt = 0;
    let tail = '';
    for await (const chunk of response.body) {
      bytes += chunk.length;
      // latin1 is a cheap byte-for-byte decode; the markers searched for are ASCII.
      const text = tail + chunk.toString('latin1');
      if (firstContentAt === 0 && CONTENT.test(text)) firstContentAt = performance.now();
      tail = text.slice(-TAIL);
    }
    if (firstContentAt === 0) throw Object.assign(new Error('stream carried no content chunk'), { kind: 'no content' });
    if (!tail.includes('[DONE]')) throw Object.assign(new Error(`stream ended without [DONE]; last bytes: ${JSON.stringify(tail)}`), { kind: 'no [DONE]' });
    return { bytes, ttfbMs: firstContentAt - started };
  };
}

/**
 * Run `send` from `connections` workers for `durationMs`. Requests still in flight at the end
 * are awaited; a pool still busy `graceMs` later is destroyed, so the run is always bounded.
 * With `rate` (requests per second, all workers together) each worker waits for its next slot
 * instead of sending back to back, so a server can be measured at a load it can carry.
 * Without it, `staggerMs` spreads the workers' first requests over that time (worker i starts
 * i/N of it late): workers that all start at once and send requests of the same length stay in
 * step, and N requests arriving together measure a queue, not one request's time.
 * Returns throughput, latency and errors.
 */
export async function runLoad({ pool, connections, durationMs, send, rate, staggerMs = 0, graceMs = 10_000 }) {
  const latencies = [];
  const ttfbs = [];
  const errors = new Map();
  let bytes = 0;
  let stopped = false;
  // Destroying the pool (rather than a per-request AbortSignal) costs nothing per request.
  const hardStop = setTimeout(() => {
    stopped = true;
    pool.destroy(new Error(`requests still running ${graceMs} ms past the deadline`)).catch(() => {});
  }, durationMs + graceMs);
  const start = performance.now();
  const deadline = start + durationMs;

  // Each worker's slots are `connections / rate` apart, the workers' first slots spread over one gap.
  const gapMs = rate ? (connections * 1000) / rate : 0;
  async function worker(_, index) {
    let due = start + (gapMs * index) / connections;
    if (gapMs === 0 && staggerMs > 0 && index > 0) await sleep((staggerMs * index) / connections);
    while (performance.now() < deadline && !stopped) {
      if (gapMs > 0) {
        const wait = due - performance.now();
        // A worker that fell behind skips the slots it missed rather than sending a burst.
        due = wait > -gapMs ? due + gapMs : performance.now() + gapMs;
        if (wait > 0) await sleep(wait);
        if (performance.now() >= deadline) break;
      }
      const started = performance.now();
      try {
        const result = await send(pool, started);
        latencies.push(performance.now() - started);
        bytes += result.bytes;
        if (result.ttfbMs !== undefined) ttfbs.push(result.ttfbMs);
      } catch (error) {
        const kind = error.kind ?? error.code ?? error.name ?? 'Error';
        const entry = errors.get(kind) ?? { count: 0, sample: error.message };
        entry.count++;
        errors.set(kind, entry);
      }
    }
  }

  await Promise.all(Array.from({ length: connections }, worker));
  clearTimeout(hardStop);
  const elapsedS = (performance.now() - start) / 1000;
  const errorCount = [...errors.values()].reduce((n, e) => n + e.count, 0);
  return {
    connections,
    elapsedS,
    ok: latencies.length,
    errors: errorCount,
    errorKinds: Object.fromEntries(errors),
    rps: latencies.length / elapsedS,
    meanBytes: latencies.length ? bytes / latencies.length : 0,
    latency: summarize(latencies),
    ttfb: ttfbs.length ? summarize(ttfbs) : undefined,
  };
}
