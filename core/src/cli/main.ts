// The `gatehouse` command line: start, validate, query, and the subcommands plugins add.
// The server side (express, winston, every plugin) is imported only by the commands that run a
// gateway, so that `gatehouse query` and `gatehouse version` start in a fraction of the time.
import { createRequire } from 'node:module';
import { parseArgs, intFlag, stringFlag, type ParsedArgs } from './args.js';
import { isGatewayError } from '../errors.js';
import type { Gateway } from '../gateway.js';

const HELP = `Usage: gatehouse <command> [options]

Commands:
  start       Serve the gateway
              --config PATH (or --config-path PATH; env GATEHOUSE_CONFIG or MLFLOW_DEPLOYMENTS_CONFIG)
              --host HOST (default localhost)  --port PORT (default 5000)  --workers N (default 1)
  validate    Check a config file and its plugins, then exit (--config PATH)
  query       Call an endpoint: query ENDPOINT [PROMPT...] (the prompt from stdin when none is given)
              --url URL (default $GATEHOUSE_URL or http://127.0.0.1:5000)  --api-key KEY (or $GATEHOUSE_API_KEY)
              --system TEXT  --messages JSON  --max-tokens N  --temperature T  --type chat|completions|embeddings
              --no-stream  --json (the whole answer as JSON)
  help        Show this help; plugins add their own commands, listed by \`gatehouse help --config PATH\`
  version     Print the version
`;

function configFlag(args: ParsedArgs): string | undefined {
  return stringFlag(args, 'config', 'config-path');
}

function fail(error: unknown): number {
  process.stderr.write(`gatehouse: ${isGatewayError(error) ? error.message : error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

/** A gateway for one command: no watcher, logs only warnings, to stderr. */
async function commandGateway(args: ParsedArgs): Promise<Gateway> {
  const [{ Gateway }, { createLogger }, { Redactor }] = await Promise.all([import('../gateway.js'), import('../logger.js'), import('../redact.js')]);
  const redactor = new Redactor();
  const logger = createLogger({ redactor, stream: process.stderr, config: { level: 'warn' } });
  return Gateway.create({ configPath: configFlag(args), watch: false, logger });
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h': {
        process.stdout.write(HELP);
        const args = parseArgs(rest);
        if (configFlag(args)) {
          const gw = await commandGateway(args);
          for (const { plugin, command: c } of gw.cliCommands) process.stdout.write(`  ${c.name.padEnd(11)} ${c.description} (plugin ${plugin})\n`);
          await gw.close();
        }
        return 0;
      }
      case 'version':
      case '--version':
        process.stdout.write(`${(createRequire(import.meta.url)('../../../package.json') as { version: string }).version}\n`);
        return 0;
      case 'start': {
        const args = parseArgs(rest);
        const { start } = await import('./start.js');
        return await start({
          configPath: configFlag(args),
          host: stringFlag(args, 'host'),
          port: intFlag(args, 'port', 0, 65535),
          workers: intFlag(args, 'workers', 1, 256) ?? 1,
        });
      }
      case 'query': {
        const { query } = await import('./query.js');
        return await query(rest, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
      }
      case 'validate': {
        const gw = await commandGateway(parseArgs(rest));
        process.stdout.write(`OK: ${gw.config.endpoints.length} endpoints, ${gw.config.routes.length} routes.\n`);
        await gw.close();
        return 0;
      }
      default: {
        const args = parseArgs(rest);
        const gw = await commandGateway(args);
        try {
          const found = gw.cliCommands.find((c) => c.command.name === command);
          if (!found) {
            process.stderr.write(`gatehouse: unknown command "${command}". Run gatehouse help.\n`);
            return 2;
          }
          const code = await found.command.run(rest, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
          return typeof code === 'number' ? code : 0;
        } finally {
          await gw.close();
        }
      }
    }
  } catch (error) {
    return fail(error);
  }
}
