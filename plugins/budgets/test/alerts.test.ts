import { expect } from 'chai';
import type { TestGateway } from '@gatehousejs/core/testing';
import { ask, eventually, post, sleep, startGateway, WebhookServer } from './helpers.js';

describe('alert budgets', () => {
  let gw: TestGateway | undefined;
  let hook: WebhookServer | undefined;
  afterEach(async () => {
    await gw?.close();
    await hook?.close();
  });

  it('call the webhook once per window when the spend reaches the amount, retrying when it first fails; requests are never refused', async function () {
    this.timeout(15_000);
    hook = await WebhookServer.start([500, 503]);
    process.env.GATEHOUSE_BUDGETS_TEST_HOOK = hook.url;
    try {
      gw = await startGateway({
        budgets: {
          alerts: { backoff_ms: 50 },
          limits: [{ name: 'watch', amount_usd: 0.05, window: 'day', time_zone: 'Europe/Paris', scope: 'gateway', action: 'alert', webhook: { url: '$GATEHOUSE_BUDGETS_TEST_HOOK', headers: { authorization: 'Bearer hook-secret-91c2' } } }],
        },
      });
      // About 0.011 USD each: the fifth crosses 0.05; the others, concurrent or later, do not alert again.
      for (let i = 0; i < 3; i++) expect((await post(`${gw.url}/v1/chat/completions`, ask('chat', 'Hi'))).status).to.equal(200);
      const burst = await Promise.all(Array.from({ length: 12 }, () => post(`${gw!.url}/v1/chat/completions`, ask('chat', 'Hi'))));
      expect(burst.every((r) => r.status === 200)).to.equal(true);
      await eventually('the alert delivered', async () => hook!.hits.some((h) => h.status === 200));
      await sleep(300);
      expect(hook.hits.map((h) => h.status)).to.deep.equal([500, 503, 200]);
      const { body, headers } = hook.hits[2]!;
      expect(headers.authorization).to.equal('Bearer hook-secret-91c2');
      expect(body).to.deep.include({ type: 'budget.reached', budget: 'watch', scope: 'gateway', window: 'day', time_zone: 'Europe/Paris', amount_usd: 0.05 });
      expect(body.spent_usd).to.be.within(0.05, 0.05 + 0.011 * 13);
      expect(body.resets_at).to.match(/T00:00:00\+01:00$/);
      expect(body.message).to.match(/^Budget "watch" \(USD 0\.05 per day, Europe\/Paris\) is reached: USD [\d.]+ spent\.$/);
      const logs = gw.logs.join('\n');
      expect(logs).to.contain('alert webhook failed; retrying');
      expect(logs).not.to.contain('budget-token-7f3e');
      expect(logs).not.to.contain('hook-secret-91c2');
    } finally {
      delete process.env.GATEHOUSE_BUDGETS_TEST_HOOK;
    }
  });

  it('alert again in the next window, once', async () => {
    hook = await WebhookServer.start();
    let now = Date.parse('2026-12-07T22:00:00Z');
    gw = await startGateway({
      clock: { now: () => now },
      budgets: { limits: [{ name: 'hourly', amount_usd: 0.02, window: 'hour', scope: { key: 'key-alpha' }, action: 'alert', webhook: { url: hook.url } }] },
    });
    const spend = async (n: number) => {
      for (let i = 0; i < n; i++) expect((await post(`${gw!.url}/v1/chat/completions`, ask('chat', 'Hi'))).status).to.equal(200);
    };
    await spend(4);
    await eventually('the first alert', async () => hook!.hits.length === 1);
    now = Date.parse('2026-12-07T23:00:00Z');
    await spend(1);
    await sleep(100);
    expect(hook.hits).to.have.length(1);
    await spend(3);
    await eventually('the second alert', async () => hook!.hits.length === 2);
    await sleep(200);
    expect(hook.hits.map((h) => h.body.window_start)).to.deep.equal(['2026-12-07T22:00:00+00:00', '2026-12-07T23:00:00+00:00']);
  });

  it('stops start-up when an alert budget has no webhook, or a budget names an unknown time zone', async () => {
    for (const [limit, message] of [
      [{ name: 'a', amount_usd: 1, window: 'day', scope: 'gateway', action: 'alert' }, 'an alert budget needs a webhook'],
      [{ name: 'b', amount_usd: 1, window: 'day', scope: 'gateway', time_zone: 'Mars/Olympus' }, '/budgets/limits/0/time_zone: "Mars/Olympus" is not an IANA time zone'],
    ] as const) {
      let error: Error | undefined;
      try {
        await (await startGateway({ budgets: { limits: [limit] } })).close();
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).to.contain(message);
    }
  });
});
