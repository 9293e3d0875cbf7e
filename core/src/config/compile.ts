// From a parsed file to a validated, normalised GatewayConfig. Every error names the file,
// the JSON pointer (and line where known) and what was expected.
import type { ValidateFunction } from 'ajv';
import { createError } from '../errors.js';
import { formatAjvErrors } from '../validation/ajv.js';
import type { LoadedConfigFile } from './load.js';
import type { EndpointConfig, GatewayConfig, PluginEntry, RouteConfig } from './types.js';

/** Where each endpoint/route came from in the file, for later messages (provider checks). */
export const sourcePointer = new WeakMap<object, string>();

export function configErrorMessage(file: LoadedConfigFile, problems: readonly { pointer: string; message: string }[]): string {
  const lines = problems.map((p) => {
    const where = file.locate(p.pointer);
    return `  ${p.pointer || '/'}${where ? ` (${where})` : ''}: ${p.message}`;
  });
  return `Invalid config ${file.filepath}:\n${lines.join('\n')}`;
}

export function configError(file: LoadedConfigFile, problems: readonly { pointer: string; message: string }[]): Error {
  return createError('GW_ERR_CONFIG_INVALID', configErrorMessage(file, problems));
}

function normalisePlugins(raw: unknown): PluginEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((entry) => (typeof entry === 'string' ? { name: entry } : (entry as PluginEntry)));
}

export function compileConfig(file: LoadedConfigFile, validate: ValidateFunction): GatewayConfig {
  const raw = file.raw;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw configError(file, [{ pointer: '', message: 'must be a mapping with an "endpoints" list' }]);
  }
  if (!validate(raw)) {
    // Provider options sit under model.config and may hold literal secrets: never echo values there.
    const problems = formatAjvErrors(validate.errors, raw).map((p) =>
      p.pointer.includes('/model/config') ? { pointer: p.pointer, message: p.message.replace(/ \(got .*\)$/, '') } : p,
    );
    throw configError(file, problems);
  }
  const doc = raw as Record<string, unknown>;
  const endpoints: EndpointConfig[] = [];
  const routes: RouteConfig[] = [];
  ((doc.endpoints as EndpointConfig[] | undefined) ?? []).forEach((e, i) => {
    endpoints.push(e);
    sourcePointer.set(e, `/endpoints/${i}`);
  });
  // Older MLflow files: routes without destinations are endpoints, typed by route_type.
  ((doc.routes as Record<string, unknown>[] | undefined) ?? []).forEach((r, i) => {
    if (Array.isArray(r.destinations)) {
      routes.push(r as unknown as RouteConfig);
      sourcePointer.set(r, `/routes/${i}`);
    } else {
      const { route_type, ...rest } = r;
      const endpoint = { ...rest, endpoint_type: route_type } as unknown as EndpointConfig;
      endpoints.push(endpoint);
      sourcePointer.set(endpoint, `/routes/${i}`);
    }
  });

  const problems: { pointer: string; message: string }[] = [];
  const seen = new Map<string, string>();
  for (const item of [...endpoints, ...routes]) {
    const pointer = sourcePointer.get(item)!;
    const previous = seen.get(item.name);
    if (previous) problems.push({ pointer: `${pointer}/name`, message: `duplicate name "${item.name}" (already used at ${previous})` });
    else seen.set(item.name, pointer);
  }
  if (problems.length > 0) throw configError(file, problems);

  return {
    ...doc,
    endpoints,
    routes,
    plugins: normalisePlugins(doc.plugins),
    server: (doc.server as GatewayConfig['server']) ?? {},
    logging: (doc.logging as GatewayConfig['logging']) ?? {},
  };
}
