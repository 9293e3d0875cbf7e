// The bundled console (dist/ui, made by scripts/bundle.mjs) read once into memory: serving a
// file is a map lookup, never disk I/O on a request.
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export const UI_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'ui');

async function load(path: string): Promise<Asset> {
  const body = await readFile(path);
  return { body, type: TYPES[extname(path)] ?? 'application/octet-stream', etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/** index.html and every file under assets/; a missing bundle is a start-up error that says how to build it. */
export async function loadAssets(dir = UI_DIR): Promise<{ index: Asset; files: Map<string, Asset> }> {
  let names: string[];
  try {
    names = await readdir(join(dir, 'assets'));
  } catch {
    throw new Error(`The console's bundle is missing (${dir}): run \`npm run build\` (it bundles the UI).`);
  }
  const files = new Map<string, Asset>();
  for (const name of names) files.set(name, await load(join(dir, 'assets', name)));
  return { index: await load(join(dir, 'index.html')), files };
}
