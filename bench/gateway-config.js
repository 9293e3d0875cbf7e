// The gateway config for a run: three endpoints on the `openai` provider, all pointing at the
// emulator. Written to a fresh directory under os.tmpdir(), never into the source tree.
// The gateway discovers providers from the package.json next to its config, and there is none
// in the temp directory, so the provider (and any extra plugin) is listed by absolute path.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const API_KEY = 'bench-key';

function endpoint(name, type, model, apiBase) {
  return `  - name: ${name}
    endpoint_type: ${type}
    model:
      provider: openai
      name: ${model}
      config:
        openai_api_key: ${API_KEY}
        openai_api_base: "${apiBase}"
`;
}

export function configYaml(emulatorPort, packageDirs, disabledDirs = []) {
  const apiBase = `http://127.0.0.1:${emulatorPort}/v1`;
  // JSON strings are valid YAML double-quoted scalars: any path is quoted safely.
  // A disabled entry keeps a package out even when discovery would load it.
  return 'plugins:\n' + packageDirs.map((dir) => `  - ${JSON.stringify(dir)}\n`).join('')
    + disabledDirs.map((dir) => `  - { name: ${JSON.stringify(dir)}, enabled: false }\n`).join('')
    + 'endpoints:\n'
    + endpoint('chat', 'llm/v1/chat', 'gpt-4o-mini', apiBase)
    + endpoint('completions', 'llm/v1/completions', 'gpt-4o-mini', apiBase)
    + endpoint('embeddings', 'llm/v1/embeddings', 'text-embedding-3-small', apiBase);
}

/** A temporary directory holding the config (and the gateway's logs); `remove` deletes it. */
export function writeGatewayConfig(emulatorPort, packageDirs, disabledDirs = []) {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const path = join(dir, 'gateway.yaml');
  writeFileSync(path, configYaml(emulatorPort, packageDirs, disabledDirs));
  return { dir, path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
