import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createLogger, Redactor } from '@gatehousejs/core';
import { PostgresStore } from '@gatehousejs/plugin-usage';
import { TEST_DATABASE_URL } from '@gatehousejs/plugin-usage/testing';
import { ask, budgetsOf, dataDir, eventually, post, startGateway } from './helpers.js';

const PG_URL = TEST_DATABASE_URL;

/** Each run its own data directory, or its own PostgreSQL schema (dropped after). */
const STORES = [
  { name: 'SQLite', usage: () => ({ data_dir: dataDir() }), drop: async () => undefined },
  {
    name: 'PostgreSQL',
    usage: () => ({ store: 'postgres', database_url: PG_URL, schema: `budgets_test_${randomBytes(4).toString('hex')}` }),
    drop: async (usage: Record<string, unknown>) => {
      const store = new PostgresStore(PG_URL, usage.schema as string, createLogger({ redactor: new Redactor(), stream: process.stderr }));
      await store.execute(`DROP SCHEMA IF EXISTS "${usage.schema as string}" CASCADE`);
      await store.close();
    },
  },
];

for (const { name, usage: usageOf, drop } of STORES) {
  describe(`memory budgets survive a restart (${name})`, () => {
    it("rebuild the window's spend from the usage records at start-up, per scope", async () => {
      const usage = usageOf();
      const budgets = {
        limits: [
          { name: 'all', amount_usd: 0.05, window: 'day', scope: 'gateway' },
          { name: 'beta', amount_usd: 1, window: 'month', scope: { key: 'key-beta' } },
        ],
      };
      try {
        const first = await startGateway({ usage, budgets });
        let spent: number;
        try {
          for (let i = 0; i < 3; i++) expect((await post(`${first.url}/v1/chat/completions`, ask('chat', 'Hi'))).status).to.equal(200);
          await eventually('reconciliation', async () => (await budgetsOf(first))[0]!.spent_usd > 0.029);
          spent = (await budgetsOf(first))[0]!.spent_usd as number;
        } finally {
          await first.close();
        }
        const second = await startGateway({ usage, budgets });
        try {
          const [all, beta] = await budgetsOf(second);
          expect(all!.spent_usd).to.be.closeTo(spent, 1e-9);
          expect(beta!.spent_usd).to.equal(0);
          expect((await post(`${second.url}/v1/chat/completions`, ask('chat', 'Hi'))).status).to.equal(200);
          expect((await post(`${second.url}/v1/chat/completions`, ask('chat', 'Hi'))).status).to.equal(429);
        } finally {
          await second.close();
        }
      } finally {
        await drop(usage);
      }
    });
  });
}
