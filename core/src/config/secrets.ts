// Secrets in provider options: `$ENV_VAR`, a path to a key file, or a literal (MLflow's rules);
// `$secret:NAME`, a stored secret, when a plugin provides a resolver (the management plugin).
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { createError } from '../errors.js';
import type { Redactor } from '../redact.js';

const ENV_REF = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/;
/** A stored secret by name: `$secret:openai-prod`. */
export const SECRET_REF = /^\$secret:([A-Za-z0-9][A-Za-z0-9_.-]{0,127})$/;

/** Resolves `$secret:NAME` references; `stamp` changes when the value does (so instances are rebuilt). */
export interface SecretResolver {
  resolve(name: string): Promise<string | undefined>;
  stamp(name: string): string | undefined;
}

/** The names of the `$secret:` references anywhere in a config value. */
export function secretRefs(value: unknown): string[] {
  if (typeof value === 'string') {
    const name = SECRET_REF.exec(value)?.[1];
    return name ? [name] : [];
  }
  if (value && typeof value === 'object') return Object.values(value).flatMap(secretRefs);
  return [];
}
/** Option names treated as secrets even when a provider forgets to list them. */
const SECRET_NAME = /(api_?key|token|secret|password|credential|authorization)/i;

export interface SecretContext {
  readonly env: NodeJS.ProcessEnv;
  readonly baseDir: string;
  readonly redactor: Redactor;
  /** Where the options sit in the file, for messages: '/endpoints/0/model/config'. */
  readonly pointer: string;
  readonly file: string;
  readonly secrets?: SecretResolver;
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
  const stored = SECRET_REF.exec(value)?.[1];
  if (stored) {
    const resolved = ctx.secrets ? await ctx.secrets.resolve(stored) : undefined;
    if (resolved === undefined) {
      const why = ctx.secrets ? 'which does not exist' : 'but no plugin stores secrets (add the management plugin)';
      throw createError('GW_ERR_SECRET_UNRESOLVED', `${ctx.file}: ${ctx.pointer}/${key} refers to the stored secret "${stored}", ${why}.`);
    }
    // Masked wherever it is: a stored secret is a secret whatever the option's name.
    ctx.redactor.add(resolved);
    return resolved;
  }
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
