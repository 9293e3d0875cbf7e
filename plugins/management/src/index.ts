// The management API: endpoints and routes created, changed and removed at runtime beside the
// config file's, provider secrets encrypted at rest (AES-256-GCM under a master key), an audit
// log; all in the usage plugin's SQL store, so every instance sharing it follows.
import { definePlugin, type AuditLog, type SqlStore } from '@gatehousejs/core';
import { auditor } from './audit.js';
import { secretsCommand } from './cli.js';
import { DEFAULT_REFRESH_SECONDS, loadMasterKey, type ManagementConfig } from './config.js';
import { Entries } from './entries.js';
import { registerRoutes } from './routes.js';
import { managementConfigSchema } from './schemas.js';
import { ManagementStore } from './store.js';
import { Vault } from './vault.js';

export default definePlugin<never>({
  id: 'management',
  apiVersion: 1,
  // usage provides the `sql` store; keys provides the `admin-guard` store.
  dependencies: ['usage', 'keys'],
  setup(api) {
    api.config.extend({ topLevel: { management: managementConfigSchema } });
    let sql: ManagementStore | undefined;
    const store = () => (sql ??= new ManagementStore(api.stores.get<SqlStore>('sql')));
    const vault = new Vault(store, api.clock);
    const entries = new Entries(api, store, vault);
    const audit = auditor(store, api.clock);
    let refreshMs = DEFAULT_REFRESH_SECONDS * 1000;
    let timer: NodeJS.Timeout | undefined;

    api.secrets.provide(vault);
    // Other plugins' changes (the keys plugin's keys) go to the same log.
    api.stores.provide<AuditLog>('audit', { open: async () => ({ record: audit }), close: async () => undefined });
    api.onConfig(async (_options, config) => {
      const settings = config.raw.management as ManagementConfig | undefined;
      vault.master = await loadMasterKey(api, settings);
      refreshMs = (settings?.refresh_seconds ?? DEFAULT_REFRESH_SECONDS) * 1000;
    });

    const poll = () => {
      timer = setTimeout(() => {
        void refresh().finally(() => timer && poll());
      }, refreshMs);
      timer.unref();
    };
    const refresh = () =>
      entries.refresh().catch((error: unknown) => api.log.error('management: applying the stored entries failed; the last good ones keep serving', { error: (error as Error).message }));
    // A stored entry that no longer builds (a provider uninstalled, no master key) never stops start-up.
    api.hooks.ready.tap(async () => {
      await refresh();
      poll();
    });
    api.onClose(() => {
      clearTimeout(timer);
      timer = undefined;
    });

    registerRoutes({ api, entries, vault, audit, store });
    api.cli.command(secretsCommand(vault, audit, process.cwd()));
  },
});
