// Endpoints and routes that plugins contribute at runtime (the management API), merged after
// the file's before validation: one schema, one snapshot build, the same atomic swap as a reload.
import type { LoadedConfigFile } from './load.js';
import type { RuntimeEntries } from '../api/plugin.js';

export type { RuntimeEntries };

const list = (value: unknown): unknown[] => (Array.isArray(value) ? [...value] : []);

/**
 * The file with every plugin's runtime entries appended. Pointers past the file's own entries
 * are located as `<plugin> endpoint "name"`, so an error names the runtime entry, not an index.
 */
export function withRuntimeEntries(file: LoadedConfigFile, runtime: ReadonlyMap<string, RuntimeEntries>): LoadedConfigFile {
  if (runtime.size === 0) return file;
  const raw = (file.raw ?? {}) as Record<string, unknown>;
  const endpoints = list(raw.endpoints);
  const routes = list(raw.routes);
  const origin = new Map<string, string>();
  for (const [plugin, entries] of runtime) {
    for (const e of entries.endpoints) origin.set(`/endpoints/${endpoints.push(e) - 1}`, `${plugin} endpoint "${e.name}"`);
    for (const r of entries.routes) origin.set(`/routes/${routes.push(r) - 1}`, `${plugin} route "${r.name}"`);
  }
  return {
    filepath: file.filepath,
    raw: { ...raw, endpoints, routes },
    locate(pointer) {
      const at = /^\/(endpoints|routes)\/\d+/.exec(pointer)?.[0];
      return (at && origin.get(at)) ?? file.locate(pointer);
    },
  };
}
