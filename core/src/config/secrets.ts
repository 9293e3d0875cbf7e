// Secrets in provider options: `$ENV_VAR`, a path to a key file, or a literal (MLflow's rules).
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { createError } from '../errors.js';
import type { Redactor } from '../redact.js';

const ENV_REF = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/;
/** Option names treated as secrets even when a provider forgets to list them. */
const SECRET_NAME = /(api_?key|token|secret|password|credential|authorization)/i;

export interface SecretContext {
  readonly env: NodeJS.ProcessEnv;
  readonly baseDir: string;
  readonly redactor: Redactor;
  /** Where the options sit in the file, for messages: '/endpoints/0/model/config'. */
  readonly pointer: string;
  readonly file: string;
}

async function isFile(candidate: string): Promise<boolean> {
  try {
    return (await stat(candidate)).isFile();
  } catch {
    return false;
  }
}

/**
 * Resolve provider options: every `$VAR` string from the environment; secret options from a
 * key file when the value names one. Secret values are registered with the redactor.
 */
export async function resolveOptions(
  options: Readonly<Record<string, unknown>>,
  secretNames: readonly string[],
  ctx: SecretContext,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const secret = secretNames.includes(key) || SECRET_NAME.test(key);
    if (typeof value === 'string') {
      out[key] = await resolveString(key, value, secret, ctx);
      if (secret) ctx.redactor.add(out[key] as string);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      // Nested maps (extra headers, ...) resolve the same way; a secret parent makes every value secret.
      out[key] = await resolveOptions(value as Record<string, unknown>, secret ? Object.keys(value) : secretNames, { ...ctx, pointer: `${ctx.pointer}/${key}` });
    } else {
      out[key] = value;
    }
  }
  return out;
}

async function resolveString(key: string, value: string, secret: boolean, ctx: SecretContext): Promise<string> {
  const ref = ENV_REF.exec(value);
  if (ref) {
    const name = ref[1]!;
    const resolved = ctx.env[name];
    if (resolved === undefined || resolved === '') {
      throw createError(
        'GW_ERR_SECRET_UNRESOLVED',
        `${ctx.file}: ${ctx.pointer}/${key} refers to the environment variable ${name}, which is not set.`,
      );
    }
    return resolved;
  }
  // Only values that look like paths are tried as key files: real secrets (AWS keys) contain '/'.
  if (secret && /^(\.{1,2}\/|\/|~\/)/.test(value)) {
    const expanded = value.startsWith('~/') ? path.join(os.homedir(), value.slice(2)) : value;
    const candidate = path.resolve(ctx.baseDir, expanded);
    if (await isFile(candidate)) return (await readFile(candidate, 'utf8')).trim();
  }
  return value;
}
