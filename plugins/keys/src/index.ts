// Gateway API keys: issued (`gatehouse keys`, the admin API) and stored as hashes in the usage
// plugin's SQL store, or declared in the config file; checked on every request from memory.
import { definePlugin, STAGE, type SqlStore } from '@gatehousejs/core';
import { AdminKey, registerAdminRoutes } from './admin.js';
import { authenticate } from './authenticate.js';
import { keysCommand } from './cli.js';
import { keyAudit } from './audit.js';
import { resolveSettings, type KeysConfig } from './config.js';
import { KeyRing } from './keyring.js';
import { keysConfigSchema } from './schemas.js';
import { KeyService } from './service.js';
import { KeyStore } from './store.js';
import { KeySync } from './sync.js';

export default definePlugin<never>({
  id: 'keys',
  apiVersion: 1,
  // The usage plugin owns the database settings and provides the `sql` store.
  dependencies: ['usage'],
  setup(api) {
    api.config.extend({ topLevel: { keys: keysConfigSchema } });
    const ring = new KeyRing();
    const admin = new AdminKey();
    let store: KeyStore | undefined;
    const keyStore = () => (store ??= new KeyStore(api.stores.get<SqlStore>('sql')));
    const sync = new KeySync(keyStore, ring, api.log);
    const service = new KeyService(keyStore, ring, sync);

    api.onConfig(async (_options, config) => {
      const settings = await resolveSettings(config.raw.keys as KeysConfig | undefined, (value, pointer) => api.resolveSecret(value, pointer));
      ring.configure(settings.keys, settings.required);
      admin.hash = settings.adminKeyHash;
      sync.setInterval(settings.refreshMs);
    });
    api.stores.provide('admin-guard', { open: async () => admin, close: async () => undefined });
    api.hooks.ready.tap(() => sync.start());
    api.onClose(() => sync.stop());
    // Last, so that another auth plugin gets to recognise its own credentials first. The admin
    // key is a caller too (the console's "try it" sends real requests with it).
    api.hooks.authenticate.tap({ stage: STAGE.LATE }, (ctx) => authenticate(ring, ctx, Date.now(), admin.hash));

    const audit = keyAudit(api);
    registerAdminRoutes(api, admin, service, audit);
    api.cli.command(keysCommand(service, audit));
  },
});

// For other plugins: what a key's principal holds, and the principal while auth is off.
export { ADMIN_PRINCIPAL, ANONYMOUS } from './authenticate.js';
export type { KeyLimits, KeyPrincipal, RenewalPeriod } from './key.js';
