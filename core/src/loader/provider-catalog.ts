// Every known provider by id and alias; each imported once, on first need.
import { createError } from '../errors.js';
import type { ProviderDefinition } from '../api/provider.js';
import type { Candidate } from './discover.js';
import { importProvider } from './import.js';

/** Provider names match case-insensitively with '-' and '_' equivalent (MLflow configs vary). */
export function providerKey(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

export class ProviderCatalog {
  private readonly byName = new Map<string, Candidate>();
  private readonly loaded = new Map<string, Promise<ProviderDefinition>>();

  constructor(candidates: readonly Candidate[], extra: readonly ProviderDefinition[] = []) {
    for (const c of candidates) {
      for (const name of [c.manifest.id, ...c.manifest.aliases]) this.byName.set(providerKey(name), c);
    }
    // Definitions handed in directly (tests, embedding) skip discovery but follow the same rules.
    for (const def of extra) {
      for (const name of [def.id, ...(def.aliases ?? [])]) {
        if (this.byName.has(providerKey(name))) throw createError('GW_ERR_PLUGIN_DUPLICATE', `Duplicate provider id or alias "${name}".`);
        const c: Candidate = {
          manifest: { kind: 'provider', id: def.id, aliases: def.aliases ?? [], apiVersion: def.apiVersion, routes: (def.nativeRoutes ?? []).map((r) => r.path) },
          packageName: `(inline) ${def.id}`,
          entry: '',
          source: 'config',
          options: undefined,
        };
        this.byName.set(providerKey(name), c);
        this.loaded.set(def.id, Promise.resolve(def));
      }
    }
  }

  has(name: string): boolean {
    return this.byName.has(providerKey(name));
  }

  /** Provider id for a name or alias. */
  idOf(name: string): string | undefined {
    return this.byName.get(providerKey(name))?.manifest.id;
  }

  names(): string[] {
    return [...new Set([...this.byName.values()].flatMap((c) => [c.manifest.id, ...c.manifest.aliases]))].sort();
  }

  /** Providers that must load at start-up because they serve native routes. */
  withNativeRoutes(): string[] {
    return [...new Set([...this.byName.values()].filter((c) => c.manifest.routes.length > 0).map((c) => c.manifest.id))];
  }

  load(name: string): Promise<ProviderDefinition> {
    const c = this.byName.get(providerKey(name));
    if (!c) throw createError('GW_ERR_CONFIG_INVALID', `Unknown provider "${name}".`);
    let pending = this.loaded.get(c.manifest.id);
    if (!pending) {
      pending = importProvider(c);
      // A failed import is retried on the next need rather than cached forever.
      pending.catch(() => this.loaded.delete(c.manifest.id));
      this.loaded.set(c.manifest.id, pending);
    }
    return pending;
  }
}
