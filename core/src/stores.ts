// Shared connections (SQL, Redis, ...): provided by plugins, opened once by core at ready,
// closed at close, in reverse order.
import type { StoreFactory, StoreRegistry } from './api/plugin.js';
import { createError } from './errors.js';

interface Entry {
  readonly owner: string;
  readonly factory: StoreFactory<unknown>;
  value?: unknown;
  opened: boolean;
}

export class Stores {
  private readonly entries = new Map<string, Entry>();

  registryFor(owner: string): StoreRegistry {
    return {
      provide: <T>(name: string, factory: StoreFactory<T>) => {
        const existing = this.entries.get(name);
        if (existing) {
          throw createError('GW_ERR_PLUGIN_DUPLICATE', `Store "${name}" is provided by both "${existing.owner}" and "${owner}".`);
        }
        this.entries.set(name, { owner, factory: factory as StoreFactory<unknown>, opened: false });
      },
      get: <T>(name: string): T => {
        const entry = this.entries.get(name);
        if (!entry) throw createError('GW_ERR_PLUGIN_DEPENDENCY', `No plugin provides the store "${name}".`);
        if (!entry.opened) throw createError('GW_ERR_INTERNAL', `Store "${name}" is not open yet: use it after the gateway is ready.`);
        return entry.value as T;
      },
      has: (name: string) => this.entries.has(name),
    };
  }

  async openAll(): Promise<void> {
    for (const [name, entry] of this.entries) {
      try {
        entry.value = await entry.factory.open();
        entry.opened = true;
      } catch (error) {
        throw createError('GW_ERR_PLUGIN_LOAD', `Store "${name}" (from plugin "${entry.owner}") failed to open: ${(error as Error).message}`, { cause: error });
      }
    }
  }

  async closeAll(onError: (name: string, error: unknown) => void): Promise<void> {
    for (const [name, entry] of [...this.entries].reverse()) {
      if (!entry.opened) continue;
      try {
        await entry.factory.close(entry.value);
      } catch (error) {
        onError(name, error);
      }
      entry.opened = false;
    }
  }
}
