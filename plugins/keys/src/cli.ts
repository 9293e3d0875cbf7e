// `gatehouse keys create|list|revoke`, on the store the config names (SQLite file or PostgreSQL).
import { parseArgs } from 'node:util';
import { createError, isGatewayError, type CliIO, type PluginCliCommand } from '@gatehousejs/core';
import { publicView, RENEWAL_PERIODS, statusOf, type KeyInfo, type KeyLimits, type RenewalPeriod } from './key.js';
import type { KeyService } from './service.js';
import type { KeyAudit } from './audit.js';

const HELP = `Usage: gatehouse keys <create|list|revoke> [--config PATH] [options]

  create --name NAME     issue a key; it is printed once, only its hash is stored
         --owner OWNER          who it belongs to
         --endpoints a,b        endpoint or route names it may call (default: all)
         --expires T            a duration (90m, 12h, 30d, 8w) or an ISO 8601 date or date-time
         --limit-requests N/P   at most N requests per P (${RENEWAL_PERIODS.join(', ')})
         --limit-tokens N/P     at most N tokens per P
         --json                 print the key and its fields as JSON
  list [--json]          every key (declared and issued), never a secret
  revoke KEY_ID          revoke an issued key (other gateways stop accepting it within keys.refresh_seconds)
`;

// The create request's fields, by the flag that sets them (to name the flag in an error).
const FLAG_OF: Record<string, string> = { name: '--name', owner: '--owner', endpoints: '--endpoints', expires_at: '--expires', limits: '--limit-requests/--limit-tokens' };

function limit(flag: string, text: string | undefined): { n: number; period: RenewalPeriod } | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)\/(\w+)$/.exec(text);
  if (!match || !(RENEWAL_PERIODS as readonly string[]).includes(match[2]!)) {
    throw createError('GW_ERR_BAD_REQUEST', `${flag} must be N/PERIOD with PERIOD one of ${RENEWAL_PERIODS.join(', ')} (e.g. 100/minute)`);
  }
  return { n: Number(match[1]), period: match[2] as RenewalPeriod };
}

function limitsOf(requests: string | undefined, tokens: string | undefined): KeyLimits | undefined {
  const r = limit('--limit-requests', requests);
  const t = limit('--limit-tokens', tokens);
  if (!r && !t) return undefined;
  return {
    ...(r ? { requests: { calls: r.n, renewal_period: r.period } } : {}),
    ...(t ? { tokens: { tokens: t.n, renewal_period: t.period } } : {}),
  };
}

const date = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

function table(keys: readonly KeyInfo[], now: number): string {
  const rows = [
    ['ID', 'NAME', 'OWNER', 'ENDPOINTS', 'EXPIRES', 'STATUS', 'SOURCE'],
    ...keys.map((k) => [k.id, k.name, k.owner ?? '-', k.endpoints?.join(',') ?? '(all)', date(k.expiresAt), statusOf(k, now), k.source]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

type Flags = ReturnType<typeof parseFlags>['values'];

function parse(argv: string[]) {
  try {
    return parseFlags(argv);
  } catch (error) {
    throw createError('GW_ERR_BAD_REQUEST', (error as Error).message);
  }
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      'config-path': { type: 'string' },
      name: { type: 'string' },
      owner: { type: 'string' },
      endpoints: { type: 'string' },
      expires: { type: 'string' },
      'limit-requests': { type: 'string' },
      'limit-tokens': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function create(keys: KeyService, audit: KeyAudit, flags: Flags, io: CliIO): Promise<number> {
  const input = {
    name: flags.name,
    owner: flags.owner,
    endpoints: flags.endpoints?.split(',').map((e) => e.trim()).filter(Boolean),
    expires_at: flags.expires,
    limits: limitsOf(flags['limit-requests'], flags['limit-tokens']),
  };
  const { key, info } = await keys.create(JSON.parse(JSON.stringify(input)));
  await audit('cli', 'key.create', info);
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ ...publicView(info, Date.now()), key }, null, 2)}\n`);
  } else {
    io.stdout.write(`Created key ${info.id} ("${info.name}") in ${keys.location}\n\n  ${key}\n\n`);
    io.stdout.write('Copy it now: Gatehouse stores only its hash and cannot show it again.\n');
  }
  return 0;
}

async function run(keys: KeyService, audit: KeyAudit, argv: string[], io: CliIO): Promise<number> {
  const { values: flags, positionals } = parse(argv);
  const [action, ...rest] = positionals;
  if (flags.help || action === undefined) {
    io.stdout.write(HELP);
    return action === undefined && !flags.help ? 2 : 0;
  }
  if (action === 'create') return create(keys, audit, flags, io);
  if (action === 'list') {
    const list = await keys.list();
    const now = Date.now();
    io.stdout.write(flags.json ? `${JSON.stringify(list.map((k) => publicView(k, now)), null, 2)}\n` : list.length === 0 ? 'No keys.\n' : table(list, now));
    return 0;
  }
  if (action === 'revoke' && rest.length === 1) {
    const info = await keys.revoke(rest[0]!);
    await audit('cli', 'key.revoke', info);
    io.stdout.write(`Revoked key ${info.id} ("${info.name}") at ${date(info.revokedAt)}.\n`);
    return 0;
  }
  io.stderr.write(`gatehouse keys: unknown or incomplete command "${positionals.join(' ')}"\n\n${HELP}`);
  return 2;
}

export function keysCommand(keys: KeyService, audit: KeyAudit): PluginCliCommand {
  return {
    name: 'keys',
    description: 'Issue, list and revoke gateway API keys (create --name N, list, revoke ID)',
    async run(argv, io) {
      try {
        return await run(keys, audit, argv, io);
      } catch (error) {
        const param = isGatewayError(error) ? error.param : undefined;
        const message = (error as Error).message;
        io.stderr.write(`gatehouse keys: ${param && FLAG_OF[param.split('.')[0]!] ? `${FLAG_OF[param.split('.')[0]!]}: ` : ''}${message}\n`);
        return isGatewayError(error) && error.status < 500 ? 2 : 1;
      }
    },
  };
}
