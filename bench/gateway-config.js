// The gateway config for a run: three endpoints on the `openai` provider, all pointing at the
// emulator (`chat-stream` with its stream frames paced), with everything a production gateway switches on (the configuration under test):
// gateway keys checked (one declared key, which the load generator sends), a per-endpoint
// `limit` and per-key request limits (memory store) high enough never to deny, usage recorded
// to SQLite in the run's temp directory, and the JSON access log (logger plugin) on, written
// to the gateway's stdout, which the runner sends to a file in that directory.
// Written to a fresh directory under os.tmpdir(), never into the source tree. The gateway
// discovers packages from the package.json next to its config, and there is none in the temp
// directory, so the provider and the plugins are listed by absolute path.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

/** The upstream key the gateway holds (the emulator wants one, like OpenAI). */
export const API_KEY = 'bench-key';
/** The gateway key the load generator sends to the gateway (declared in the config). */
export const GATEWAY_KEY = 'bench-gateway-key-0123456789abcdef';
/** Limits that are checked and counted on every request but never deny in a run. */
const NEVER_DENY = 1_000_000_000;

/** The plugins of the configuration under test, by package directory name under plugins/. */
export const FEATURE_PLUGINS = ['keys', 'rate-limit', 'usage', 'logger'];

function endpoint(name, type, model, apiBase) {
  return `  - name: ${name}
    endpoint_type: ${type}
    model:
      provider: openai
      name: ${model}
      config:
        openai_api_key: ${API_KEY}
        openai_api_base: "${apiBase}"
    limit:
      renewal_period: minute
      calls: ${NEVER_DENY}
`;
}

/** Each feature plugin's config section, by plugin directory name. */
function featureSections(dataDir) {
  return {
    keys: `keys:
  keys:
    - name: bench
      key: ${GATEWAY_KEY}
`,
    'rate-limit': `rate_limits:
  store: memory
  keys:
    requests:
      calls: ${NEVER_DENY}
      renewal_period: minute
`,
    usage: `usage:
  data_dir: ${JSON.stringify(dataDir)}
`,
  };
}

/** The sections of the feature plugins that are loaded (a plugin kept out leaves its section out too). */
function featureConfig(dataDir, packageDirs) {
  const loaded = new Set(packageDirs.map((dir) => basename(dir)));
  return Object.entries(featureSections(dataDir)).filter(([name]) => loaded.has(name)).map(([, yaml]) => yaml).join('');
}

/**
 * `packageDirs` are loaded, `disabledDirs` kept out even when discovery would load them.
 * With `features` false the gateway runs with none of the feature plugins (a baseline).
 */
export function configYaml(emulatorPort, packageDirs, disabledDirs = [], { features = true, dataDir, chunkDelayMs = 10 } = {}) {
  const apiBase = `http://127.0.0.1:${emulatorPort}/v1`;
  const pacedBase = `http://127.0.0.1:${emulatorPort}/delay/${chunkDelayMs}/v1`;
  // JSON strings are valid YAML double-quoted scalars: any path is quoted safely.
  return 'plugins:\n' + packageDirs.map((dir) => `  - ${JSON.stringify(dir)}\n`).join('')
    + disabledDirs.map((dir) => `  - { name: ${JSON.stringify(dir)}, enabled: false }\n`).join('')
    + (features ? featureConfig(dataDir, packageDirs) : '')
    + 'endpoints:\n'
    + endpoint('chat', 'llm/v1/chat', 'gpt-4o-mini', apiBase)
    + endpoint('chat-stream', 'llm/v1/chat', 'gpt-4o-mini', pacedBase)
    + endpoint('completions', 'llm/v1/completions', 'gpt-4o-mini', apiBase)
    + endpoint('embeddings', 'llm/v1/embeddings', 'text-embedding-3-small', apiBase);
}

/** A temporary directory holding the config, the gateway's logs and its usage database; `remove` deletes it. */
export function writeGatewayConfig(emulatorPort, packageDirs, disabledDirs = [], { features = true, chunkDelayMs } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const path = join(dir, 'gateway.yaml');
  writeFileSync(path, configYaml(emulatorPort, packageDirs, disabledDirs, { features, chunkDelayMs, dataDir: join(dir, 'data') }));
  return { dir, path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The packages the gateway under test loads (the openai provider, the feature plugins unless
 * `features` is false, any `plugins` asked for) and the ones kept out: discovery would load
 * every built-in plugin from the root package.json, so built-ins outside the configuration under
 * test (budgets, say) are disabled, and the figure does not move when a plugin is added.
 */
export function gatewayPackages(root, { features = true, plugins = [], withoutPlugins = [] } = {}) {
  const without = new Set(withoutPlugins.map((dir) => resolve(dir)));
  const featureDirs = (features ? FEATURE_PLUGINS.map((name) => join(root, 'plugins', name)) : []).filter((dir) => !without.has(dir));
  const packages = [join(root, 'providers', 'openai'), ...featureDirs, ...plugins.map((dir) => resolve(dir))];
  const kept = new Set(featureDirs);
  const builtins = readdirSync(join(root, 'plugins')).map((name) => join(root, 'plugins', name));
  const disabled = [...new Set([...builtins.filter((dir) => !kept.has(dir)), ...without])];
  return { packages, disabled };
}
