import { expect } from 'chai';
import { estimateRequestTokens } from '@gatehousejs/core';
import type { TestGateway } from '@gatehousejs/core/testing';
import { ask, chat, post, sleep, startGateway, uniquePrefix } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMIT = 1000;

/** The usage the mock reported in a stream's final chunk. */
function streamedUsage(body: string): number {
  const usage = body
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map((line) => JSON.parse(line.slice(6)) as { usage?: { total_tokens: number } })
    .find((chunk) => chunk.usage)?.usage;
  if (!usage) throw new Error(`no usage chunk in ${body}`);
  return usage.total_tokens;
}

const remaining = (reply: { headers: Headers }) => Number(reply.headers.get('x-ratelimit-remaining-tokens'));
const estimate = (body: Record<string, unknown>) => estimateRequestTokens(body, 'gpt-4o-mini');

for (const store of ['memory', 'redis'] as const) {
  describe(`token limits: reservation and reconciliation (${store} store)`, () => {
    let gw: TestGateway;
    beforeEach(async () => {
      gw = await startGateway({
        endpoints: [chat('tok', { max_output_tokens: 40 }), chat('plain')],
        rate_limits: {
          store,
          ...(store === 'redis' ? { redis_url: REDIS_URL, redis_prefix: uniquePrefix() } : {}),
          max_output_tokens: 100,
          keys: { tokens: { tokens: LIMIT, renewal_period: 'hour' } },
        },
      });
    });
    afterEach(() => gw.close());

    it('reserves input + max_tokens (or the endpoint maximum, or the default), then keeps only what was used, streams included', async () => {
      const streamed = ask('tok', 'Tell me a story about a fox', { stream: true, max_tokens: 30, stream_options: { include_usage: true } });
      const first = await post(`${gw.url}/v1/chat/completions`, streamed);
      expect(first.status).to.equal(200);
      expect(remaining(first)).to.equal(LIMIT - (estimate(streamed) + 30));
      const used1 = streamedUsage(first.body);
      await sleep(100);

      const second = await post(`${gw.url}/v1/chat/completions`, ask('tok', 'Hi'));
      expect(remaining(second)).to.equal(LIMIT - used1 - (estimate(ask('tok', 'Hi')) + 40));
      const used2 = second.json().usage.total_tokens as number;
      await sleep(100);

      const third = await post(`${gw.url}/v1/chat/completions`, ask('plain', 'Hi', { n: 2 }));
      expect(remaining(third)).to.equal(LIMIT - used1 - used2 - (estimate(ask('plain', 'Hi', { n: 2 })) + 2 * 100));
      expect(third.headers.get('x-ratelimit-limit-tokens')).to.equal(String(LIMIT));
    });

    it('gives back the whole reservation of a request that failed', async () => {
      const failing = ask('tok', 'Hi', { mock: { status: 500 } });
      const failed = await post(`${gw.url}/v1/chat/completions`, failing);
      expect(failed.status).to.equal(502);
      expect(remaining(failed)).to.equal(LIMIT - (estimate(failing) + 40));
      await sleep(100);
      const next = await post(`${gw.url}/v1/chat/completions`, ask('tok', 'Hi'));
      expect(remaining(next)).to.equal(LIMIT - (estimate(ask('tok', 'Hi')) + 40));
    });

    it('refuses a request that could never fit, saying why, and counts nothing', async () => {
      const huge = await post(`${gw.url}/v1/chat/completions`, ask('tok', 'Hi', { max_tokens: 5000 }));
      expect(huge.status).to.equal(429);
      expect(huge.json().error.message).to.match(/key "key-alpha": 1000 tokens per hour \(this request needs about \d+ tokens: lower max_tokens or the input\)/);
      expect(remaining(huge)).to.equal(LIMIT);
      expect(huge.headers.get('retry-after')).to.match(/^\d+$/);
    });

    it('refuses once the reservations in flight fill the window', async () => {
      // Each reserves about 410 tokens and holds them while the mock takes its time.
      const slow = ask('tok', 'Hi', { max_tokens: 400, mock: { delay_ms: 300 } });
      const burst = await Promise.all(Array.from({ length: 3 }, () => post(`${gw.url}/v1/chat/completions`, slow)));
      expect(burst.map((r) => r.status).sort()).to.deep.equal([200, 200, 429]);
      await sleep(100);
      // Reconciled to the few words the mock said: room again.
      expect((await post(`${gw.url}/v1/chat/completions`, slow)).status).to.equal(200);
    });
  });
}
