// `gatehouse budgets`: every budget's spend in its current window, from the configured store
// (Redis; or, for memory counters, the spend rebuilt from the usage records at start-up).
import { parseArgs } from 'node:util';
import type { Clock, PluginCliCommand } from '@gatehousejs/core';
import { renderTable, type Column } from '@gatehousejs/plugin-usage';
import type { Ledger } from './ledger.js';
import { budgetStatus, type BudgetStatus } from './report.js';

const HELP = `Usage: gatehouse budgets [--config PATH] [--json]

Every budget with its spend and what remains in the current window.
  --json   print them as JSON (as GET /api/budgets does)
`;

const money = (n: number) => n.toFixed(2);

const COLUMNS: readonly Column<BudgetStatus>[] = [
  { title: 'BUDGET', value: (b) => b.name, align: 'left' },
  { title: 'SCOPE', value: (b) => (typeof b.scope === 'string' ? b.scope : 'key' in b.scope ? `key ${b.scope.key}` : `endpoint ${b.scope.endpoint}`), align: 'left' },
  { title: 'ACTION', value: (b) => b.action, align: 'left' },
  { title: 'WINDOW', value: (b) => `${b.window} (${b.time_zone})`, align: 'left' },
  { title: 'AMOUNT USD', value: (b) => money(b.amount_usd) },
  { title: 'SPENT USD', value: (b) => money(b.spent_usd) },
  { title: 'REMAINING USD', value: (b) => money(b.remaining_usd) },
  { title: 'RESETS AT', value: (b) => b.resets_at, align: 'left' },
];

export function budgetsCommand(ledger: Ledger, clock: Clock): PluginCliCommand {
  return {
    name: 'budgets',
    description: 'Print every budget with its spend in the current window (--json)',
    async run(argv, io) {
      let flags;
      try {
        flags = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { config: { type: 'string' }, 'config-path': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }).values;
      } catch (error) {
        io.stderr.write(`gatehouse budgets: ${(error as Error).message}\n\n${HELP}`);
        return 2;
      }
      if (flags.help) {
        io.stdout.write(HELP);
        return 0;
      }
      try {
        const budgets = await budgetStatus(ledger.counters, ledger.index, clock.now());
        if (flags.json) io.stdout.write(`${JSON.stringify({ budgets }, null, 2)}\n`);
        else io.stdout.write(budgets.length === 0 ? 'No budgets configured (budgets.limits).\n' : renderTable(COLUMNS, budgets));
        return 0;
      } catch (error) {
        io.stderr.write(`gatehouse budgets: ${(error as Error).message}\n`);
        return 1;
      }
    },
  };
}
