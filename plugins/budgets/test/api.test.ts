import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createError, definePlugin, type AdminGuard } from '@gatehousejs/core';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import mock from '@gatehousejs/provider-mock';
import usage from '@gatehousejs/plugin-usage';
import budgets from '../src/index.js';
import { ask, budgetsOf, dataDir, eventually, post, PRICES, startGateway, testKeys } from './helpers.js';

/** The keys plugin's contract for operator routes: the admin key, else 401. */
const adminGuard = definePlugin({
  id: 'test-admin',
  apiVersion: 1,
  setup(api) {
    const guard: AdminGuard = {
      check(headers) {
        if (headers.authorization !== 'Bearer admin-key') throw createError('GW_ERR_UNAUTHENTICATED', 'This route needs the admin key.');
      },
    };
    api.stores.provide('admin-guard', { open: async () => guard, close: async () => undefined });
  },
});

describe('reading and reloading budgets', () => {
  let gw: TestGateway | undefined;
  afterEach(() => gw?.close());

  it('GET /api/budgets needs the admin key when one is set', async () => {
    gw = await startGateway({ budgets: { limits: [{ name: 'a', amount_usd: 1, window: 'day', scope: 'gateway' }] }, plugins: [adminGuard] });
    expect((await fetch(`${gw.url}/api/budgets`)).status).to.equal(401);
    const ok = await fetch(`${gw.url}/api/budgets`, { headers: { authorization: 'Bearer admin-key' } });
    expect(ok.status).to.equal(200);
    expect(((await ok.json()) as { budgets: { name: string }[] }).budgets.map((b) => b.name)).to.deep.equal(['a']);
  });

  it('a hot reload applies new amounts at once, keeps the spend counted, and gives a new budget its spend so far', async () => {
    const dir = dataDir();
    const file = path.join(dir, 'gatehouse.json');
    const config = (limits: unknown[]) =>
      JSON.stringify({ endpoints: [{ name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'gpt-4o-mini' } }], usage: { data_dir: dir, prices: PRICES, flush_interval_ms: 50 }, budgets: { limits } });
    writeFileSync(file, config([{ name: 'a', amount_usd: 1, window: 'day', scope: 'gateway' }]));
    gw = await startTestGateway({ configPath: file, providers: [mock], plugins: [{ definition: testKeys }, { definition: usage }, { definition: budgets }], discover: false });
    for (let i = 0; i < 2; i++) expect((await post(`${gw.url}/v1/chat/completions`, ask('chat', 'Hi'))).status).to.equal(200);
    await eventually('reconciliation', async () => (await budgetsOf(gw!))[0]!.spent_usd > 0.019);
    const spent = (await budgetsOf(gw))[0]!.spent_usd as number;
    // Let the usage records reach SQLite: the new budget reads its spend from them.
    await new Promise((resolve) => setTimeout(resolve, 300));
    writeFileSync(file, config([{ name: 'a', amount_usd: 0.02, window: 'day', scope: 'gateway' }, { name: 'b', amount_usd: 5, window: 'month', scope: 'gateway' }]));
    await eventually('the reload', async () => (await budgetsOf(gw!)).length === 2);
    const [a, b] = await budgetsOf(gw);
    expect(a).to.include({ amount_usd: 0.02, spent_usd: spent });
    expect(b!.spent_usd).to.be.closeTo(spent, 1e-9);
    const refused = await post(`${gw.url}/v1/chat/completions`, ask('chat', 'Hi'));
    expect(refused.status).to.equal(429);
    expect(refused.json().error.message).to.match(/^Budget "a" \(USD 0\.02 per day, UTC\) is spent/);
  });
});
