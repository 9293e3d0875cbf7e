// defineProvider / definePlugin stamp a brand the loader checks, so that only objects made for
// this contract load. Symbol.for keeps the brand equal across duplicate installs of core.
import type { ProviderDefinition } from './api/provider.js';
import type { PluginDefinition } from './api/plugin.js';
import { createError } from './errors.js';

export const PROVIDER_BRAND = Symbol.for('gatehouse.provider');
export const PLUGIN_BRAND = Symbol.for('gatehouse.plugin');

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

function checkId(kind: string, id: unknown): void {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw createError('GW_ERR_PLUGIN_LOAD', `${kind} id must be lower-case letters, digits, '.', '_' or '-'; got ${JSON.stringify(id)}.`);
  }
}

export function defineProvider<Options = Record<string, unknown>>(definition: ProviderDefinition<Options>): ProviderDefinition<Options> {
  checkId('Provider', definition.id);
  for (const alias of definition.aliases ?? []) checkId('Provider alias', alias);
  if (typeof definition.create !== 'function') {
    throw createError('GW_ERR_PLUGIN_LOAD', `Provider "${definition.id}" must define create(options, services).`);
  }
  return Object.freeze(Object.defineProperty({ ...definition }, PROVIDER_BRAND, { value: true }));
}

export function definePlugin<Options = Record<string, unknown>>(definition: PluginDefinition<Options>): PluginDefinition<Options> {
  checkId('Plugin', definition.id);
  if (typeof definition.setup !== 'function') {
    throw createError('GW_ERR_PLUGIN_LOAD', `Plugin "${definition.id}" must define setup(api, options).`);
  }
  return Object.freeze(Object.defineProperty({ ...definition }, PLUGIN_BRAND, { value: true }));
}

export function isProviderDefinition(value: unknown): value is ProviderDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PROVIDER_BRAND] === true;
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true;
}
