// Reading packages' package.json without importing them: discovery decides from these fields.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createError } from '../errors.js';

export const MANIFEST_FIELD = 'gatehousePlugin';
export const SUPPORTED_API_VERSIONS: readonly number[] = [1];

export interface GatehouseManifest {
  readonly kind: 'provider' | 'plugin';
  readonly id: string;
  readonly aliases: readonly string[];
  readonly apiVersion: number;
  /**
   * Path prefixes (under /gateway) of the native routes the provider declares, e.g. ["/acme/v1"]:
   * a provider that lists any is imported at start-up so that its routes are mounted. Every
   * route's path must equal an entry or lie below it (checked on import).
   */
  readonly routes: readonly string[];
}

export interface PackageInfo {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly json: Record<string, unknown>;
}

export async function readPackageJson(file: string): Promise<PackageInfo | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw createError('GW_ERR_PLUGIN_LOAD', `${file} is not valid JSON.`, { cause: error });
  }
  return { name: String(json.name ?? path.basename(path.dirname(file))), version: String(json.version ?? '0.0.0'), dir: path.dirname(file), json };
}

/** Node's lookup of `name` from `fromDir` (node_modules up the tree), ignoring `exports`. */
export async function findInstalledPackage(name: string, fromDir: string): Promise<PackageInfo | undefined> {
  let dir = path.resolve(fromDir);
  for (;;) {
    const info = await readPackageJson(path.join(dir, 'node_modules', name, 'package.json'));
    if (info) return info;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The nearest package.json at or above `fromDir`: the deployment's. */
export async function findDeploymentPackage(fromDir: string): Promise<PackageInfo | undefined> {
  let dir = path.resolve(fromDir);
  for (;;) {
    const info = await readPackageJson(path.join(dir, 'package.json'));
    if (info) return info;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The manifest field of a package, checked; undefined when the package has none. */
export function manifestOf(pkg: PackageInfo): GatehouseManifest | undefined {
  const field = pkg.json[MANIFEST_FIELD];
  if (field === undefined) return undefined;
  const where = `${pkg.name} (${pkg.dir}/package.json, field "${MANIFEST_FIELD}")`;
  if (typeof field !== 'object' || field === null) {
    throw createError('GW_ERR_PLUGIN_LOAD', `${where} must be an object.`);
  }
  const f = field as Record<string, unknown>;
  if (f.kind !== 'provider' && f.kind !== 'plugin') {
    throw createError('GW_ERR_PLUGIN_LOAD', `${where}: kind must be "provider" or "plugin", got ${JSON.stringify(f.kind)}.`);
  }
  if (typeof f.id !== 'string' || f.id === '') {
    throw createError('GW_ERR_PLUGIN_LOAD', `${where}: id must be a non-empty string.`);
  }
  if (typeof f.apiVersion !== 'number' || !SUPPORTED_API_VERSIONS.includes(f.apiVersion)) {
    throw createError(
      'GW_ERR_PLUGIN_API_VERSION',
      `${where}: apiVersion ${JSON.stringify(f.apiVersion)} is not supported by this gateway (supported: ${SUPPORTED_API_VERSIONS.join(', ')}).`,
    );
  }
  const aliases = Array.isArray(f.aliases) ? f.aliases.map(String) : [];
  if (f.routes !== undefined && !(Array.isArray(f.routes) && f.routes.every((r) => typeof r === 'string' && r.startsWith('/')))) {
    throw createError('GW_ERR_PLUGIN_LOAD', `${where}: routes must be a list of native route path prefixes under /gateway, each starting with "/" (e.g. ["/acme/v1"]).`);
  }
  const routes = (f.routes as string[] | undefined) ?? [];
  return { kind: f.kind, id: f.id, aliases, apiVersion: f.apiVersion, routes };
}

/** The file `import()` should load for a package: exports['.'] (import/node/default), then main. */
export function entryFile(pkg: PackageInfo): string {
  let target: unknown = pkg.json.exports;
  if (target && typeof target === 'object' && !Array.isArray(target) && '.' in (target as object)) {
    target = (target as Record<string, unknown>)['.'];
  }
  while (target && typeof target === 'object' && !Array.isArray(target)) {
    const t = target as Record<string, unknown>;
    target = t.import ?? t.node ?? t.default ?? t.require;
  }
  const relative = typeof target === 'string' ? target : typeof pkg.json.main === 'string' ? pkg.json.main : 'index.js';
  return path.join(pkg.dir, relative);
}
