// The create request (admin API body, CLI flags), checked with ajv compiled once, on first use
// (creating a key is rare; most gateway processes never do); an error names the field.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { createError } from '@gatehousejs/core';
import { parseExpiry } from './expiry.js';
import type { KeyLimits } from './key.js';
import { createBodySchema } from './schemas.js';

export interface NewKey {
  readonly name: string;
  readonly owner?: string;
  readonly endpoints?: string[];
  readonly limits?: KeyLimits;
  /** A duration from now or an ISO 8601 date(-time). */
  readonly expires_at?: string;
}

export interface CheckedKey {
  readonly name: string;
  readonly owner: string | null;
  readonly endpoints: readonly string[] | null;
  readonly limits: KeyLimits | null;
  readonly expiresAt: number | null;
}

let compiled: ValidateFunction<NewKey> | undefined;

/** The field an ajv error is about (`limits.requests.calls`), and what is wrong with it. */
function describe(error: ErrorObject): { field: string; message: string } {
  const params = error.params as Record<string, unknown>;
  const path = error.instancePath.split('/').slice(1).join('.');
  const join = (name: unknown) => (path ? `${path}.${String(name)}` : String(name));
  if (error.keyword === 'additionalProperties') return { field: join(params.additionalProperty), message: 'is not a known field' };
  if (error.keyword === 'required') return { field: join(params.missingProperty), message: 'is required' };
  if (error.keyword === 'enum') return { field: path, message: `must be one of ${(params.allowedValues as unknown[]).join(', ')}` };
  return { field: path || 'body', message: error.message ?? 'is invalid' };
}

function bad(field: string, message: string): Error {
  return createError('GW_ERR_BAD_REQUEST', `Invalid field "${field}": ${message}.`, { param: field });
}

export function checkNewKey(input: unknown, now: number): CheckedKey {
  const validate = (compiled ??= new Ajv({ allErrors: false, strict: true }).compile<NewKey>(createBodySchema));
  if (!validate(input)) throw bad(...Object.values(describe(validate.errors![0]!)) as [string, string]);
  let expiresAt: number | null = null;
  if (input.expires_at !== undefined) {
    const parsed = parseExpiry(input.expires_at, now);
    if (parsed instanceof Error) throw bad('expires_at', parsed.message);
    if (parsed <= now) throw bad('expires_at', 'must be in the future');
    expiresAt = parsed;
  }
  return { name: input.name, owner: input.owner ?? null, endpoints: input.endpoints ?? null, limits: input.limits ?? null, expiresAt };
}
