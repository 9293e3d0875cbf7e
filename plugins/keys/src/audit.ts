// Key changes in the audit log, when a plugin keeps one (the management plugin's `audit` store),
// whoever makes them: the admin API (`admin`) or `gatehouse keys` (`cli`). Names and metadata only,
// never the key.
import type { AuditLog, PluginApi } from '@gatehousejs/core';
import type { KeyInfo } from './key.js';

export type KeyAudit = (actor: 'admin' | 'cli', action: 'key.create' | 'key.revoke', info: KeyInfo) => Promise<void>;

export function keyAudit(api: PluginApi<never>): KeyAudit {
  return (actor, action, info) => {
    if (!api.stores.has('audit')) return Promise.resolve();
    const detail = action === 'key.create' ? { name: info.name, owner: info.owner ?? null, endpoints: info.endpoints ?? null } : { name: info.name };
    return api.stores.get<AuditLog>('audit').record(actor, action, info.id, detail);
  };
}
