// Temporary deployments on disk, for config and discovery tests.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class TempDir {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));

  write(relative: string, content: string | object): string {
    const file = path.join(this.dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  }

  /** A package in node_modules whose index.js exports a branded definition (brands are Symbol.for). */
  addPackage(name: string, manifest: object | undefined, definition: string, extra: object = {}): void {
    this.write(`node_modules/${name}/package.json`, {
      name,
      version: '1.0.0',
      type: 'module',
      exports: { '.': './index.js', './package.json': './package.json' },
      ...(manifest ? { gatehousePlugin: manifest } : {}),
      ...extra,
    });
    this.write(`node_modules/${name}/index.js`, definition);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Source of a provider module; `loadedFlag` is set on globalThis when the module is evaluated. */
export function providerSource(id: string, opts: { brand?: boolean; aliases?: string[]; apiVersion?: number; loadedFlag?: string } = {}): string {
  const brand = opts.brand === false ? '' : `Object.defineProperty(def, Symbol.for('gatehouse.provider'), { value: true });`;
  return `
${opts.loadedFlag ? `globalThis[${JSON.stringify(opts.loadedFlag)}] = true;` : ''}
const def = {
  id: ${JSON.stringify(id)},
  aliases: ${JSON.stringify(opts.aliases ?? [])},
  apiVersion: ${opts.apiVersion ?? 1},
  create: () => ({
    async chat(req) {
      return { id: 'x', object: 'chat.completion', created: 1, model: req.model,
        choices: [{ index: 0, message: { role: 'assistant', content: ${JSON.stringify(`from ${id}`)} }, finish_reason: 'stop' }] };
    },
  }),
};
${brand}
export default def;
`;
}

export function pluginSource(id: string, body: string, opts: { dependencies?: string[]; optionsSchema?: object } = {}): string {
  return `
const def = {
  id: ${JSON.stringify(id)},
  apiVersion: 1,
  dependencies: ${JSON.stringify(opts.dependencies ?? [])},
  ${opts.optionsSchema ? `optionsSchema: ${JSON.stringify(opts.optionsSchema)},` : ''}
  setup(api, options) { ${body} },
};
Object.defineProperty(def, Symbol.for('gatehouse.plugin'), { value: true });
export default def;
`;
}
