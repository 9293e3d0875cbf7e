import { expect } from 'chai';
import type { TestGateway } from '@gatehousejs/core/testing';
import { ask, budgetsOf, eventually, post, startGateway } from './helpers.js';

describe('budget windows follow the gateway clock', () => {
  let gw: TestGateway;
  afterEach(() => gw?.close());

  it('a day budget in New York resets at local midnight (05:00 UTC), not at UTC midnight', async () => {
    let now = Date.parse('2026-12-07T23:50:00Z'); // 18:50 in New York
    gw = await startGateway({
      clock: { now: () => now },
      budgets: { limits: [{ name: 'ny-daily', amount_usd: 0.02, window: 'day', time_zone: 'America/New_York', scope: 'gateway' }] },
    });
    const call = () => post(`${gw.url}/v1/chat/completions`, ask('chat', 'Hi'));
    expect((await call()).status).to.equal(200);
    await eventually('reconciliation', async () => (await budgetsOf(gw))[0]!.spent_usd > 0);
    const refused = await call();
    expect(refused.status).to.equal(429);
    expect(refused.json().error.message).to.match(/^Budget "ny-daily" \(USD 0\.02 per day, America\/New_York\) .* it resets at 2026-12-08T00:00:00-05:00\.$/);
    // 10 minutes to midnight, New York time.
    expect(refused.headers.get('retry-after')).to.equal(String((Date.parse('2026-12-08T05:00:00Z') - now) / 1000));

    now = Date.parse('2026-12-08T00:30:00Z'); // UTC has a new day; New York does not
    expect((await call()).status).to.equal(429);
    now = Date.parse('2026-12-08T04:59:59Z');
    expect((await call()).status).to.equal(429);
    now = Date.parse('2026-12-08T05:00:00Z');
    expect((await call()).status).to.equal(200);
    const [budget] = await budgetsOf(gw);
    expect(budget).to.include({ window_start: '2026-12-08T00:00:00-05:00', resets_at: '2026-12-09T00:00:00-05:00' });
  });
});
