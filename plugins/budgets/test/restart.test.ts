import { expect } from 'chai';
import { ask, budgetsOf, dataDir, eventually, post, startGateway } from './helpers.js';

describe('memory budgets survive a restart', () => {
  it("rebuild the window's spend from the usage records (SQLite) at start-up, per scope", async () => {
    const dir = dataDir();
    const budgets = {
      limits: [
        { name: 'all', amount_usd: 0.05, window: 'day', scope: 'gateway' },
        { name: 'beta', amount_usd: 1, window: 'month', scope: { key: 'key-beta' } },
      ],
    };
    const first = await startGateway({ dataDir: dir, budgets });
    let spent: number;
    try {
      for (let i = 0; i < 3; i++) expect((await post(`${first.url}/v1/chat/completions`, ask('chat', 'Hi'))).status).to.equal(200);
      await eventually('reconciliation', async () => (await budgetsOf(first))[0]!.spent_usd > 0.029);
      spent = (await budgetsOf(first))[0]!.spent_usd as number;
    } finally {
      await first.close();
    }
    const second = await startGateway({ dataDir: dir, budgets });
    try {
      const [all, beta] = await budgetsOf(second);
      expect(all!.spent_usd).to.be.closeTo(spent, 1e-9);
      expect(beta!.spent_usd).to.equal(0);
      expect((await post(`${second.url}/v1/chat/completions`, ask('chat', 'Hi'))).status).to.equal(200);
      expect((await post(`${second.url}/v1/chat/completions`, ask('chat', 'Hi'))).status).to.equal(429);
    } finally {
      await second.close();
    }
  });
});
