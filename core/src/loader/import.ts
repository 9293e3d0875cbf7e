// Importing a discovered package and checking that its export matches its manifest.
import { pathToFileURL } from 'node:url';
import { createError } from '../errors.js';
import { isPluginDefinition, isProviderDefinition } from '../define.js';
import type { ProviderDefinition } from '../api/provider.js';
import type { PluginDefinition } from '../api/plugin.js';
import type { Candidate } from './discover.js';

async function importDefault(c: Candidate): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(c.entry).href)) as Record<string, unknown>;
  } catch (error) {
    throw createError('GW_ERR_PLUGIN_LOAD', `Cannot import "${c.packageName}" (${c.entry}): ${(error as Error).message}`, { cause: error });
  }
  let value: unknown = mod.default ?? mod;
  // A CommonJS-compiled package imported from ESM arrives wrapped once more.
  if (!isProviderDefinition(value) && !isPluginDefinition(value) && value && typeof value === 'object' && 'default' in value) {
    value = (value as { default: unknown }).default;
  }
  return value;
}

function mismatch(c: Candidate, what: string, fromManifest: unknown, fromExport: unknown): Error {
  return createError(
    'GW_ERR_PLUGIN_LOAD',
    `"${c.packageName}": its package.json gatehousePlugin.${what} is ${JSON.stringify(fromManifest)} but its export says ${JSON.stringify(fromExport)}.`,
  );
}

export async function importProvider(c: Candidate): Promise<ProviderDefinition> {
  const value = await importDefault(c);
  if (!isProviderDefinition(value)) {
    throw createError('GW_ERR_PLUGIN_BRAND', `"${c.packageName}" does not export a provider made with defineProvider() (default export).`);
  }
  if (value.id !== c.manifest.id) throw mismatch(c, 'id', c.manifest.id, value.id);
  if (value.apiVersion !== c.manifest.apiVersion) throw mismatch(c, 'apiVersion', c.manifest.apiVersion, value.apiVersion);
  const exported = [...(value.aliases ?? [])].sort();
  const declared = [...c.manifest.aliases].sort();
  if (exported.join(',') !== declared.join(',')) throw mismatch(c, 'aliases', declared, exported);
  checkRoutePrefixes(c, value);
  return value;
}

/** gatehousePlugin.routes is how core knows, without importing, to load a provider at start: it must cover every native route. */
function checkRoutePrefixes(c: Candidate, def: ProviderDefinition): void {
  const prefixes = c.manifest.routes;
  const paths = (def.nativeRoutes ?? []).map((route) => route.path);
  if (paths.length === 0 && prefixes.length > 0) throw mismatch(c, 'routes', prefixes, []);
  const under = (path: string, prefix: string) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
  const uncovered = paths.filter((path) => !prefixes.some((prefix) => under(path, prefix)));
  if (uncovered.length > 0) {
    throw createError(
      'GW_ERR_PLUGIN_LOAD',
      `"${c.packageName}" declares native routes (${uncovered.join(', ')}) that its package.json gatehousePlugin.routes ${JSON.stringify(prefixes)} does not cover: list their path prefixes there so that the provider is loaded at start-up and the routes are mounted.`,
    );
  }
}

export async function importPlugin(c: Candidate): Promise<PluginDefinition> {
  const value = await importDefault(c);
  if (!isPluginDefinition(value)) {
    throw createError('GW_ERR_PLUGIN_BRAND', `"${c.packageName}" does not export a plugin made with definePlugin() (default export).`);
  }
  if (value.id !== c.manifest.id) throw mismatch(c, 'id', c.manifest.id, value.id);
  if (value.apiVersion !== c.manifest.apiVersion) throw mismatch(c, 'apiVersion', c.manifest.apiVersion, value.apiVersion);
  return value;
}
