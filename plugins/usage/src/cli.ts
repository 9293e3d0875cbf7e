// `gatehouse usage`: the summary as a terminal table, read from the configured store.
import { parseArgs } from 'node:util';
import { isGatewayError, type PluginCliCommand } from '@gatehousejs/core';
import { GROUP_BY, parseSummaryQuery } from './query.js';
import { fromStore } from './routes.js';
import type { SummaryGroup } from './store/types.js';
import { renderTable, type Column } from './table.js';
import type { UsageTracker } from './tracker.js';

const HELP = `Usage: gatehouse usage [--config PATH] [options]

  --group-by G     ${GROUP_BY.join(' | ')} (default endpoint)
  --since T        from T: a duration ago (24h, 7d, 30m), an ISO date or time, or epoch ms (default 24h)
  --until T        up to T (default now)
  --endpoint NAME  --provider NAME  --model NAME  --key ID   only these requests
  --json           print the summary as JSON instead of a table
`;

// Flags by the query parameter they set, to name the right flag in an error.
const FLAG_OF: Record<string, string> = { group_by: 'group-by', from: 'since', to: 'until' };

const fixed = (digits: number) => (n: number) => n.toFixed(digits);

function columns(groupBy: string): Column<SummaryGroup>[] {
  const ms = fixed(1);
  return [
    // group_by none: one row for everything that matched.
    groupBy === 'none' ? { title: 'SCOPE', value: () => 'all', align: 'left' } : { title: groupBy.toUpperCase(), value: (g) => g.group ?? '(none)', align: 'left' },
    { title: 'REQUESTS', value: (g) => String(g.requests) },
    { title: 'ERRORS', value: (g) => String(g.errors) },
    { title: 'ERROR %', value: (g) => `${(g.error_rate * 100).toFixed(1)}%` },
    { title: 'P50 MS', value: (g) => ms(g.latency_ms.p50) },
    { title: 'P90 MS', value: (g) => ms(g.latency_ms.p90) },
    { title: 'P99 MS', value: (g) => ms(g.latency_ms.p99) },
    { title: 'PROMPT TOK', value: (g) => String(g.prompt_tokens) },
    { title: 'COMPL TOK', value: (g) => String(g.completion_tokens) },
    { title: 'TOTAL TOK', value: (g) => String(g.total_tokens) },
    { title: 'COST USD', value: (g) => g.cost_usd.toFixed(6) },
  ];
}

export function usageCommand(tracker: UsageTracker): PluginCliCommand {
  return {
    name: 'usage',
    description: 'Print the usage summary as a table (--group-by, --since)',
    async run(argv, io) {
      let flags;
      try {
        flags = parseArgs({
          args: argv,
          strict: true,
          allowPositionals: false,
          options: {
            config: { type: 'string' },
            'config-path': { type: 'string' },
            'group-by': { type: 'string' },
            since: { type: 'string' },
            until: { type: 'string' },
            endpoint: { type: 'string' },
            provider: { type: 'string' },
            model: { type: 'string' },
            key: { type: 'string' },
            json: { type: 'boolean' },
            help: { type: 'boolean', short: 'h' },
          },
        }).values;
      } catch (error) {
        io.stderr.write(`gatehouse usage: ${(error as Error).message}\n\n${HELP}`);
        return 2;
      }
      if (flags.help) {
        io.stdout.write(HELP);
        return 0;
      }
      let query;
      try {
        query = parseSummaryQuery({
          group_by: flags['group-by'],
          from: flags.since ?? '24h',
          to: flags.until,
          endpoint: flags.endpoint,
          provider: flags.provider,
          model: flags.model,
          key: flags.key,
        });
      } catch (error) {
        const param = isGatewayError(error) ? error.param : undefined;
        const flag = param ? `--${FLAG_OF[param] ?? param}` : 'a flag';
        io.stderr.write(`gatehouse usage: ${flag} ${(error as Error).message.replace(/^Invalid query parameter "[^"]+": /, '')}\n`);
        return 2;
      }
      try {
        const store = await tracker.readStore();
        const groups = await fromStore(() => store.summary(query));
        if (flags.json) {
          io.stdout.write(`${JSON.stringify({ group_by: query.groupBy, groups }, null, 2)}\n`);
          return 0;
        }
        const period = `since ${new Date(query.from!).toISOString()}${query.to === undefined ? '' : ` until ${new Date(query.to).toISOString()}`}`;
        io.stdout.write(`Usage by ${query.groupBy}, ${period} (${store.kind}: ${store.location})\n\n`);
        io.stdout.write(groups.length === 0 ? 'No requests recorded in this period.\n' : renderTable(columns(query.groupBy), groups));
        return 0;
      } catch (error) {
        io.stderr.write(`gatehouse usage: ${(error as Error).message}\n`);
        return 1;
      }
    },
  };
}
