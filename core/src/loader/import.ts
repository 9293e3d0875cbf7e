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
  return value;
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
