// Who changed what, when: one row per change. Details hold names and metadata, never a value.
import { randomUUID } from 'node:crypto';
import type { Clock } from '@gatehousejs/core';
import type { ManagementStore } from './store.js';

export type AuditFn = (actor: string, action: string, target: string, detail?: Record<string, unknown>) => Promise<void>;

export function auditor(store: () => ManagementStore, clock: Clock): AuditFn {
  return (actor, action, target, detail) => store().audit({ id: `${clock.now().toString().padStart(15, '0')}-${randomUUID()}`, at: clock.now(), actor, action, target, detail: detail ?? null });
}
