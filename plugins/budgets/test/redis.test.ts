import { expect } from 'chai';
import type { TestGateway } from '@gatehousejs/core/testing';
import { ask, budgetsOf, eventually, post, startGateway, uniquePrefix, WebhookServer } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('budgets on Redis', () => {
  const gateways: TestGateway[] = [];
  let hook: WebhookServer | undefined;
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((gw) => gw.close()));
    await hook?.close();
  });

  it('two instances share the spend: a concurrent burst on both stops at the limit, and the alert fires once', async function () {
    this.timeout(20_000);
    hook = await WebhookServer.start();
    const budgets = {
      store: 'redis',
      redis_url: REDIS_URL,
      redis_prefix: uniquePrefix(),
      limits: [
        { name: 'shared', amount_usd: 0.2, window: 'day', scope: 'gateway' },
        { name: 'watch', amount_usd: 0.1, window: 'day', scope: 'gateway', action: 'alert', webhook: { url: hook.url } },
      ],
    };
    gateways.push(await startGateway({ budgets }), await startGateway({ budgets }));
    const body = ask('chat', 'Hi', { mock: { delay_ms: 50 } });
    let admittedCost = 0;
    let oneRequest = 0;
    for (let round = 0; round < 10; round++) {
      const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => post(`${gateways[i % 2]!.url}/v1/chat/completions`, body)));
      for (const reply of replies.filter((r) => r.status === 200)) {
        const cost = (reply.json().usage.total_tokens as number) * 0.001;
        admittedCost += cost;
        oneRequest = Math.max(oneRequest, cost);
      }
      if (replies.every((r) => r.status === 429)) break;
    }
    expect(admittedCost).to.be.within(0.2 - 2 * oneRequest, 0.2 + oneRequest);
    for (const gw of gateways) {
      await eventually('both read the same spend', async () => Math.abs((await budgetsOf(gw))[0]!.spent_usd - admittedCost) < 1e-9);
    }
    await eventually('the alert', async () => hook!.hits.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hook.hits).to.have.length(1);
  });

  it('fail closed: with Redis unreachable a request under a reject budget gets 503 naming Redis, never its password', async () => {
    process.env.GATEHOUSE_BUDGETS_TEST_REDIS = 'redis://:pw-4d2a7e@127.0.0.1:1';
    try {
      gateways.push(await startGateway({ budgets: { store: 'redis', redis_url: '$GATEHOUSE_BUDGETS_TEST_REDIS', redis_timeout_ms: 100, limits: [{ name: 'b', amount_usd: 1, window: 'day', scope: 'gateway' }] } }));
      const gw = gateways[0]!;
      const refused = await post(`${gw.url}/v1/chat/completions`, ask('chat'));
      expect(refused.status).to.equal(503);
      expect(refused.headers.get('retry-after')).to.equal('1');
      expect(refused.json().error.message).to.match(/^Budgets are unavailable: Redis at 127\.0\.0\.1:1 cannot be reached \(.+\)\. Requests are refused until it is back\.$/);
      expect(refused.body + gw.logs.join('\n')).not.to.contain('pw-4d2a7e');
      expect(gw.logs.some((line) => line.includes('budgets: Redis is unreachable'))).to.equal(true);
    } finally {
      delete process.env.GATEHOUSE_BUDGETS_TEST_REDIS;
    }
  });
});
