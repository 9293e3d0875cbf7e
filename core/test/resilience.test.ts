import { expect } from 'chai';
import { postJson } from './helpers.js';
import { httpChat, startFlakyUpstream, type FlakyUpstream } from './flaky-upstream.js';
import { startTestGateway, type TestGateway } from '../src/testing/test-gateway.js';
import { retryDelayMs } from '../src/resilience/retryable.js';
import { resolvePolicy } from '../src/resilience/policy.js';
import { createError } from '../src/errors.js';
import { definePlugin } from '../src/define.js';
import type { RequestContext } from '../src/api/context.js';

function endpoint(name: string, upstream: FlakyUpstream, prefix: string, extra: Record<string, unknown> = {}) {
  return { name, endpoint_type: 'llm/v1/chat', model: { provider: 'http-chat', name: `model-${name}`, config: { api_base: `${upstream.url}${prefix}` } }, ...extra };
}

const chat = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: 'user', content: 'hi' }], ...extra });

function sseFrames(text: string): string[] {
  return text.split('\n\n').filter(Boolean).map((frame) => frame.split('\n').find((l) => l.startsWith('data: '))!.slice(6));
}

describe('routing and resilience', function () {
  this.timeout(20_000);
  let upstream: FlakyUpstream;
  let gw: TestGateway;
  let now = 1_000_000;
  const seen: { endpoint: string; status: number | undefined }[] = [];

  before(async () => {
    upstream = await startFlakyUpstream();
    gw = await startTestGateway({
      discover: false,
      providers: [httpChat],
      clock: { now: () => now },
      config: {
        server: { max_upstream_attempts: 4 },
        endpoints: [
          endpoint('a', upstream, '/a', { fallbacks: ['b'], timeouts: { first_byte_seconds: 0.3, idle_seconds: 0.3 } }),
          endpoint('b', upstream, '/b'),
          endpoint('retrying', upstream, '/r', { retry: { attempts: 3, backoff_seconds: 0.01, max_retry_after_seconds: 2 } }),
          endpoint('impatient', upstream, '/i', { retry: { attempts: 3, backoff_seconds: 0.01, max_retry_after_seconds: 1 }, fallbacks: ['b'] }),
          endpoint('greedy', upstream, '/g', { retry: { attempts: 10, backoff_seconds: 0.01 } }),
          endpoint('fragile', upstream, '/f', { circuit_breaker: { failures: 2, cool_off_seconds: 30 }, fallbacks: ['b'] }),
          endpoint('lonely', upstream, '/l', { circuit_breaker: { failures: 1, cool_off_seconds: 30 } }),
          endpoint('c', upstream, '/c'),
        ],
        routes: [
          { name: 'split', task_type: 'llm/v1/chat', destinations: [{ name: 'b', traffic_percentage: 30 }, { name: 'c', traffic_percentage: 70 }], routing_strategy: 'TRAFFIC_SPLIT' },
          { name: 'split-with-fallback', task_type: 'llm/v1/chat', destinations: [{ name: 'lonely', traffic_percentage: 100 }], fallbacks: ['c'] },
        ],
      },
      plugins: [
        {
          definition: definePlugin({
            id: 'observer',
            apiVersion: 1,
            setup(api) {
              api.hooks.onResponse.tap(async (ctx: RequestContext) => void seen.push({ endpoint: ctx.target?.endpoint, status: ctx.status }));
            },
          }),
        },
      ],
    });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });
  beforeEach(() => {
    upstream.reset();
    seen.length = 0;
  });

  it('splits traffic by the route percentages, within statistical bounds', async () => {
    const n = 600;
    const counts: Record<string, number> = {};
    for (let i = 0; i < n; i += 20) {
      const batch = await Promise.all(Array.from({ length: 20 }, () => postJson(`${gw.url}/v1/chat/completions`, chat('split'))));
      for (const res of batch) counts[res.headers.get('x-gatehouse-endpoint')!] = (counts[res.headers.get('x-gatehouse-endpoint')!] ?? 0) + 1;
    }
    // Binomial(600, 0.3): sd ≈ 11.2; five sd either side fails by chance about once in 3.5 million runs.
    expect(counts.b! + counts.c!).to.equal(n);
    expect(counts.b).to.be.within(180 - 56, 180 + 56);
    expect(upstream.count('/b')).to.equal(counts.b);
  });

  it('falls back on a 5xx and says which endpoint answered; usage records the one that answered', async () => {
    upstream.queue('/a', { status: 500 });
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat('a'));
    expect(res.status).to.equal(200);
    expect(res.json.choices[0].message.content).to.equal('answer from /b');
    expect(res.headers.get('x-gatehouse-endpoint')).to.equal('b');
    expect(res.headers.get('x-gatehouse-attempts')).to.equal('2');
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.at(-1)).to.deep.equal({ endpoint: 'b', status: 200 });
  });

  it('falls back on a 429 whose Retry-After is beyond the bound, without waiting', async () => {
    upstream.queue('/i', { status: 429, retryAfter: 60 });
    const started = Date.now();
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat('impatient'));
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-gatehouse-endpoint')).to.equal('b');
    expect(upstream.count('/i')).to.equal(1);
    expect(Date.now() - started).to.be.below(5_000);
  });

  it('falls back when the first byte does not come in time', async () => {
    upstream.queue('/a', 'stall');
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat('a'));
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-gatehouse-endpoint')).to.equal('b');
  });

  it('falls back on a refused connection', async () => {
    upstream.queue('/a', 'reset');
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat('a'));
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-gatehouse-endpoint')).to.equal('b');
  });

  it('does not fall back on a 400: the request is at fault, the upstream status comes back', async () => {
    upstream.queue('/a', { status: 400 });
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat('a'));
    expect(res.status).to.equal(400);
    expect(res.json.error.message).to.contain('scripted 400');
    expect(upstream.count('/b')).to.equal(0);
  });

  it('falls back on a stream that fails before its first chunk', async () => {
    upstream.queue('/a', { status: 503 });
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat('a', { stream: true }));
    expect(res.status).to.equal(200);
    const text = sseFrames(res.text).slice(0, -1).map((f) => JSON.parse(f).choices[0]?.delta.content ?? '').join('');
    expect(text).to.equal('/b:0 /b:1 /b:2 ');
    expect(res.headers.get('x-gatehouse-endpoint')).to.equal('b');
  });

  it('never splices a stream that has sent content: a mid-stream failure ends it with an error event', async () => {
    upstream.queue('/a', { resetAfterChunks: 2 });
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat('a', { stream: true }));
    expect(res.status).to.equal(200);
    const frames = sseFrames(res.text);
    const content = frames.filter((f) => f.startsWith('{"id"')).map((f) => JSON.parse(f).choices[0].delta.content).join('');
    expect(content).to.equal('/a:0 /a:1 ');
    expect(JSON.parse(frames.at(-1)!).error.code).to.match(/^upstream_/);
    expect(upstream.count('/b')).to.equal(0);
  });

  it('ends a stalled stream with an error event after the idle limit, not silence', async () => {
    upstream.queue('/a', { stallAfterChunks: 1 });
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat('a', { stream: true }));
    const frames = sseFrames(res.text);
    expect(JSON.parse(frames[0]!).choices[0].delta.content).to.equal('/a:0 ');
    const error = JSON.parse(frames.at(-1)!).error;
    expect(error.code).to.equal('upstream_timeout');
    expect(error.message).to.contain('stalled');
    expect(upstream.count('/b')).to.equal(0);
  });

  it("retries with the upstream's Retry-After, then succeeds", async () => {
    upstream.queue('/r', { status: 503, retryAfter: 1 }, { status: 500 });
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat('retrying'));
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-gatehouse-attempts')).to.equal('3');
    const [first, second] = upstream.times('/r');
    expect(second! - first!).to.be.at.least(950);
  });

  it('gives up after its attempts with the last error', async () => {
    upstream.queue('/r', { status: 500 }, { status: 502 }, { status: 503 });
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat('retrying'));
    expect(res.status).to.equal(502);
    expect(res.json.error.message).to.contain('scripted 503');
    expect(upstream.count('/r')).to.equal(3);
  });

  it('stops at server.max_upstream_attempts across retries', async () => {
    upstream.queue('/g', ...Array.from({ length: 10 }, () => ({ status: 500 })));
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat('greedy'));
    expect(res.status).to.equal(502);
    expect(upstream.count('/g')).to.equal(4);
  });

  it('opens the breaker after repeated failures, skips the endpoint, then probes after the cool-off', async () => {
    upstream.queue('/f', { status: 500 }, { status: 500 });
    for (let i = 0; i < 2; i++) expect((await postJson(`${gw.url}/v1/chat/completions`, chat('fragile'))).headers.get('x-gatehouse-endpoint')).to.equal('b');
    expect(upstream.count('/f')).to.equal(2);
    // Open: the endpoint is not called at all.
    const skipped = await postJson(`${gw.url}/v1/chat/completions`, chat('fragile'));
    expect(skipped.headers.get('x-gatehouse-endpoint')).to.equal('b');
    expect(upstream.count('/f')).to.equal(2);
    // After the cool-off one probe goes through; it fails, so the breaker opens again.
    now += 31_000;
    upstream.queue('/f', { status: 500 });
    await postJson(`${gw.url}/v1/chat/completions`, chat('fragile'));
    expect(upstream.count('/f')).to.equal(3);
    await postJson(`${gw.url}/v1/chat/completions`, chat('fragile'));
    expect(upstream.count('/f')).to.equal(3);
    // The next probe succeeds and closes it: traffic is back.
    now += 31_000;
    const probe = await postJson(`${gw.url}/v1/chat/completions`, chat('fragile'));
    expect(probe.headers.get('x-gatehouse-endpoint')).to.equal('fragile');
    const after = await postJson(`${gw.url}/v1/chat/completions`, chat('fragile'));
    expect(after.headers.get('x-gatehouse-endpoint')).to.equal('fragile');
    expect(upstream.count('/f')).to.equal(5);
  });

  it('answers 502 with Retry-After when the only target is open; a route falls back past it', async () => {
    upstream.queue('/l', { status: 500 });
    expect((await postJson(`${gw.url}/v1/chat/completions`, chat('lonely'))).status).to.equal(502);
    const open = await postJson(`${gw.url}/v1/chat/completions`, chat('lonely'));
    expect(open.status).to.equal(502);
    expect(open.json.error.message).to.contain('circuit breaker open');
    expect(Number(open.headers.get('retry-after'))).to.be.within(1, 30);
    expect(upstream.count('/l')).to.equal(1);
    const routed = await postJson(`${gw.url}/v1/chat/completions`, chat('split-with-fallback'));
    expect(routed.status).to.equal(200);
    expect(routed.headers.get('x-gatehouse-endpoint')).to.equal('c');
    now += 31_000;
  });

  it('applies the same routing on the MLflow invocations routes', async () => {
    upstream.queue('/a', { status: 500 });
    const res = await postJson(`${gw.url}/gateway/a/invocations`, { messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).to.equal(200);
    expect(res.json.choices[0].message.content).to.equal('answer from /b');
  });
});

describe('retry delays', () => {
  const policy = resolvePolicy({ name: 'x', endpoint_type: 'llm/v1/chat', model: { provider: 'p' }, retry: { backoff_seconds: 0.1, max_backoff_seconds: 1, max_retry_after_seconds: 5 } }, 1000);
  const failure = createError('GW_ERR_UPSTREAM_ERROR', 'boom');

  it('doubles from the base with jitter in the upper half, capped', () => {
    expect(retryDelayMs(policy, 1, failure, () => 0)).to.equal(50);
    expect(retryDelayMs(policy, 1, failure, () => 1)).to.equal(100);
    expect(retryDelayMs(policy, 3, failure, () => 1)).to.equal(400);
    expect(retryDelayMs(policy, 10, failure, () => 1)).to.equal(1000);
  });

  it("uses Retry-After when sent, and refuses to wait beyond the bound", () => {
    expect(retryDelayMs(policy, 1, createError('GW_ERR_RATE_LIMITED', 'slow down', { retryAfter: 2 }))).to.equal(2000);
    expect(retryDelayMs(policy, 1, createError('GW_ERR_RATE_LIMITED', 'slow down', { retryAfter: 6 }))).to.equal(undefined);
  });
});
