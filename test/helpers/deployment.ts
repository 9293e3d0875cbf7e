// Temporary "deployments": a directory with its own package.json, as a user's would be. The
// gateway discovers providers from the package.json next to (or above) the config file.
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

export interface Deployment {
  readonly dir: string;
  /** Write a file relative to the deployment; returns its absolute path. */
  write(relative: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

export interface DeploymentOptions {
  /** Package names for package.json `dependencies`. */
  readonly dependencies?: readonly string[];
  /**
   * Link the repo's node_modules (the built-in packages, installed as workspaces). When false,
   * node_modules starts empty and the test installs what it wants.
   */
  readonly linkRepoModules?: boolean;
}

export async function createDeployment(options: DeploymentOptions = {}): Promise<Deployment> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-e2e-'));
  const dependencies = Object.fromEntries((options.dependencies ?? []).map((name) => [name, '*']));
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'gatehouse-e2e-deployment', private: true, type: 'module', dependencies }, null, 2),
  );
  if (options.linkRepoModules !== false) {
    await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  } else {
    await mkdir(path.join(dir, 'node_modules'));
  }
  return {
    dir,
    async write(relative, text) {
      const file = path.join(dir, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
