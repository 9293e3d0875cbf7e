// `gatehouse secrets rotate-master --new-key-file F`: re-encrypt every stored secret under a new
// master key in one statement. Afterwards give every gateway the new key and restart them.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { isGatewayError, type PluginCliCommand } from '@gatehousejs/core';
import { readMasterKeyFile } from './master-key.js';
import type { AuditFn } from './audit.js';
import type { Vault } from './vault.js';

const HELP = `Usage: gatehouse secrets rotate-master --new-key-file FILE [--config PATH]

  Re-encrypts every stored secret from the current master key (GATEHOUSE_MASTER_KEY or
  management.master_key_file) to the key in FILE (32 bytes, base64), all in one statement.
  Then point every gateway at the new key and restart it.
`;

export function secretsCommand(vault: Vault, audit: AuditFn, cwd: string): PluginCliCommand {
  return {
    name: 'secrets',
    description: 'stored provider secrets: rotate-master re-encrypts them under a new master key',
    async run(argv, io) {
      try {
        // --config is read by the CLI before the command runs.
        const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { 'new-key-file': { type: 'string' }, help: { type: 'boolean' }, config: { type: 'string' }, 'config-path': { type: 'string' } } });
        if (values.help || positionals[0] !== 'rotate-master' || !values['new-key-file']) {
          (values.help ? io.stdout : io.stderr).write(HELP);
          return values.help ? 0 : 2;
        }
        const next = await readMasterKeyFile(path.resolve(cwd, values['new-key-file']));
        const { changed, remaining } = await vault.rotateMaster(next);
        await audit('cli', 'secrets.rotate-master', 'secrets', { from: vault.master?.fingerprint, to: next.fingerprint, changed });
        io.stdout.write(`re-encrypted ${changed} secret(s) under master key ${next.fingerprint}\n`);
        if (remaining > 0) {
          io.stderr.write(`${remaining} secret(s) are under another key (created meanwhile?): run the command again\n`);
          return 1;
        }
        io.stdout.write('now give every gateway the new key (GATEHOUSE_MASTER_KEY or management.master_key_file) and restart it\n');
        return 0;
      } catch (error) {
        io.stderr.write(`${isGatewayError(error) ? error.message : String(error)}\n`);
        return 1;
      }
    },
  };
}
