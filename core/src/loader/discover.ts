// Discovery: explicit `plugins:` entries of the config first, then the deployment's
// package.json dependencies carrying a `gatehousePlugin` field. node_modules is never scanned.
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { createError } from '../errors.js';
import { providerKey } from './provider-catalog.js';
import type { PluginEntry } from '../config/types.js';
import {
  entryFile,
  findDeploymentPackage,
  findInstalledPackage,
  manifestOf,
  readPackageJson,
  type GatehouseManifest,
  type PackageInfo,
} from './manifest.js';

export interface Candidate {
  readonly manifest: GatehouseManifest;
  readonly packageName: string;
  readonly entry: string;
  readonly source: 'config' | 'discovery';
  /** Options from an explicit config entry. */
  readonly options: Readonly<Record<string, unknown>> | undefined;
}

export interface DiscoveryResult {
  readonly providers: readonly Candidate[];
  readonly plugins: readonly Candidate[];
  /** The package.json whose dependencies were read, if any. */
  readonly deploymentPackage: string | undefined;
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function resolveEntryPackage(entry: PluginEntry, configDir: string): Promise<PackageInfo> {
  const name = entry.name;
  if (name.startsWith('.') || path.isAbsolute(name)) {
    const target = path.resolve(configDir, name);
    const pkg = (await isDirectory(target)) ? await readPackageJson(path.join(target, 'package.json')) : undefined;
    if (!pkg) {
      throw createError('GW_ERR_PLUGIN_DEPENDENCY', `Plugin "${name}" (from the config's plugins list) is not a package directory: ${target} has no package.json.`);
    }
    return pkg;
  }
  const pkg = await findInstalledPackage(name, configDir);
  if (!pkg) {
    throw createError('GW_ERR_PLUGIN_DEPENDENCY', `Plugin package "${name}" (from the config's plugins list) is not installed. Run: npm install ${name}`);
  }
  return pkg;
}

function candidate(pkg: PackageInfo, source: Candidate['source'], options: Candidate['options'], requireManifest: boolean): Candidate | undefined {
  const manifest = manifestOf(pkg);
  if (!manifest) {
    if (!requireManifest) return undefined;
    throw createError(
      'GW_ERR_PLUGIN_BRAND',
      `Package "${pkg.name}" (${pkg.dir}) is not a Gatehouse plugin: its package.json has no "gatehousePlugin" field.`,
    );
  }
  return { manifest, packageName: pkg.name, entry: entryFile(pkg), source, options };
}

/**
 * `configDir` is where the config file lives; the deployment's package.json is the nearest one
 * above it, or else the nearest above `cwd` (a config kept in /etc beside a project that installs
 * the packages).
 */
export async function discover(entries: readonly PluginEntry[], configDir: string, cwd: string = configDir): Promise<DiscoveryResult> {
  const found = new Map<string, Candidate>();
  const disabled = new Set<string>();

  for (const entry of entries) {
    const pkg = await resolveEntryPackage(entry, configDir);
    if (entry.enabled === false) {
      disabled.add(pkg.name);
      continue;
    }
    const c = candidate(pkg, 'config', entry.options, true)!;
    if (!found.has(pkg.name)) found.set(pkg.name, c);
  }

  const deployment = (await findDeploymentPackage(configDir)) ?? (await findDeploymentPackage(cwd));
  if (deployment) {
    const deps = { ...(deployment.json.dependencies as Record<string, string> | undefined) };
    const optional = new Set(Object.keys((deployment.json.optionalDependencies as Record<string, string> | undefined) ?? {}));
    for (const name of [...Object.keys(deps), ...optional].sort()) {
      if (found.has(name) || disabled.has(name)) continue;
      const pkg = await findInstalledPackage(name, deployment.dir);
      if (!pkg) {
        if (optional.has(name)) continue;
        throw createError(
          'GW_ERR_PLUGIN_DEPENDENCY',
          `"${name}" is listed in the dependencies of ${path.join(deployment.dir, 'package.json')} but is not installed. Run npm install.`,
        );
      }
      const c = candidate(pkg, 'discovery', undefined, false);
      if (c) found.set(name, c);
    }
  }

  const all = [...found.values()];
  checkDuplicates(all);
  return {
    providers: all.filter((c) => c.manifest.kind === 'provider'),
    plugins: all.filter((c) => c.manifest.kind === 'plugin'),
    deploymentPackage: deployment ? path.join(deployment.dir, 'package.json') : undefined,
  };
}

/** One owner per provider id or alias, and per plugin id. */
function checkDuplicates(all: readonly Candidate[]): void {
  const owners = new Map<string, Candidate>();
  for (const c of all) {
    const names = c.manifest.kind === 'provider' ? [c.manifest.id, ...c.manifest.aliases] : [c.manifest.id];
    for (const name of names) {
      // Provider names are matched loosely (case, '-' vs '_'), so they must be unique that way too.
      const key = c.manifest.kind === 'provider' ? `provider:${providerKey(name)}` : `plugin:${name}`;
      const previous = owners.get(key);
      if (previous) {
        throw createError(
          'GW_ERR_PLUGIN_DUPLICATE',
          `Duplicate ${c.manifest.kind} id or alias "${name}": declared by both "${previous.packageName}" and "${c.packageName}".`,
        );
      }
      owners.set(key, c);
    }
  }
}
