// Finding and reading the config file. YAML is parsed with the core schema (no implicit dates
// or other surprises) and kept as a document, so errors can point at a line.
import type { Loader } from 'cosmiconfig';
import { LineCounter, parseDocument } from 'yaml';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { createError } from '../errors.js';

export const CONFIG_SEARCH_PLACES: readonly string[] = Object.freeze([
  'package.json',
  'gatehouse.config.yaml',
  'gatehouse.config.yml',
  'gatehouse.config.json',
  'gatehouse.config.js',
  'gatehouse.config.mjs',
  '.gatehouserc',
  '.gatehouserc.yaml',
  '.gatehouserc.yml',
  '.gatehouserc.json',
]);

/** Env vars naming the config file: ours first, then MLflow's. */
export const CONFIG_ENV_VARS: readonly string[] = Object.freeze(['GATEHOUSE_CONFIG', 'MLFLOW_DEPLOYMENTS_CONFIG']);

export interface LoadedConfigFile {
  readonly filepath: string;
  readonly raw: unknown;
  /** 'line L, column C' of a JSON pointer, when the format allows it. */
  locate(pointer: string): string | undefined;
}

function parseYaml(filepath: string, text: string): LoadedConfigFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema: 'core', lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw createError('GW_ERR_CONFIG_INVALID', `Invalid YAML in ${filepath}: ${first.message}`);
  }
  const raw = doc.toJS({ maxAliasCount: 100 }) as unknown;
  return {
    filepath,
    raw: raw ?? {},
    locate(pointer) {
      const parts = pointer.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~')));
      for (let n = parts.length; n >= 0; n--) {
        const node = doc.getIn(parts.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        if (node && node.range) {
          const pos = lineCounter.linePos(node.range[0]);
          return `line ${pos.line}, column ${pos.col}`;
        }
      }
      return undefined;
    },
  };
}

const yamlLoader: Loader = (filepath, content) => parseYaml(filepath, content).raw;

/** cosmiconfig is loaded only to search for the file or to read a JSON or JS one (a given YAML file needs none). */
async function explorer() {
  const { cosmiconfig } = await import('cosmiconfig');
  return cosmiconfig('gatehouse', {
    searchPlaces: [...CONFIG_SEARCH_PLACES],
    searchStrategy: 'none',
    loaders: { '.yaml': yamlLoader, '.yml': yamlLoader, noExt: yamlLoader },
    cache: false,
  });
}

/** Which file to load: the explicit path, then the env vars, then a search of `cwd`. */
export async function resolveConfigPath(explicit: string | undefined, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const given = explicit ?? CONFIG_ENV_VARS.map((name) => env[name]).find((v) => v);
  if (given) return path.resolve(cwd, given);
  const found = await (await explorer()).search(cwd);
  if (!found || found.isEmpty) {
    throw createError(
      'GW_ERR_CONFIG_NOT_FOUND',
      `No config file found in ${cwd}. Pass --config PATH, set GATEHOUSE_CONFIG, or create gatehouse.config.yaml (see examples/quickstart.yaml).`,
    );
  }
  return found.filepath;
}

/** Read and parse the config file (YAML, JSON, JS or a package.json `gatehouse` field). */
export async function readConfigFile(filepath: string): Promise<LoadedConfigFile> {
  const ext = path.extname(filepath).toLowerCase();
  if (ext === '.yaml' || ext === '.yml' || (ext === '' && !filepath.endsWith('.json'))) {
    let text: string;
    try {
      text = await readFile(filepath, 'utf8');
    } catch (error) {
      throw createError('GW_ERR_CONFIG_NOT_FOUND', `Cannot read config file ${filepath}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`, { cause: error });
    }
    return parseYaml(filepath, text);
  }
  let result;
  try {
    result = await (await explorer()).load(filepath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw createError('GW_ERR_CONFIG_NOT_FOUND', `Config file ${filepath} does not exist.`, { cause: error });
    throw createError('GW_ERR_CONFIG_INVALID', `Cannot parse config file ${filepath}: ${(error as Error).message}`, { cause: error });
  }
  return { filepath, raw: result?.config ?? {}, locate: () => undefined };
}
