// Request bodies checked with ajv (compiled once at load); a 400 names the first bad field.
// Provider options may name a secret only by reference, never hold one.
import { Ajv, type ValidateFunction } from 'ajv';
import { createError, formatAjvErrors, type JSONSchema } from '@gatehousejs/core';
import { endpointBodySchema, routeBodySchema, secretCreateSchema, secretRotateSchema } from './schemas.js';

const ajv = new Ajv({ allErrors: false, strict: true, strictTypes: false });

function checker<T>(schema: JSONSchema): (body: unknown) => T {
  const validate: ValidateFunction = ajv.compile(schema);
  return (body) => {
    if (validate(body)) return body as T;
    const [problem] = formatAjvErrors(validate.errors, body, { showValues: false });
    throw badField(problem?.pointer.slice(1).replaceAll('/', '.') || 'body', problem?.message ?? 'is invalid');
  };
}

export function badField(field: string, message: string): Error {
  return createError('GW_ERR_BAD_REQUEST', `Invalid field "${field}": ${message}.`, { param: field });
}

export type Entry = Record<string, unknown> & { name: string };

export const checkEndpoint = checker<Entry & { model: { config?: Record<string, unknown> } }>(endpointBodySchema);
export const checkRoute = checker<Entry>(routeBodySchema);
export const checkSecretCreate = checker<{ name: string; value: string }>(secretCreateSchema);
export const checkSecretRotate = checker<{ value: string }>(secretRotateSchema);

const SECRET_OPTION = /(api_?key|token|secret|password|credential|authorization)/i;
const REFERENCE = /^\$/;

/** Secret-named provider options must be `$secret:NAME` or `$ENV_VAR`: a literal would sit in the store and the audit log. */
export function checkNoLiteralSecrets(config: Record<string, unknown> | undefined, pointer = 'model.config'): void {
  for (const [key, value] of Object.entries(config ?? {})) {
    const field = `${pointer}.${key}`;
    if (typeof value === 'string' && SECRET_OPTION.test(key) && !REFERENCE.test(value)) {
      throw badField(field, 'must name a stored secret ($secret:NAME, see /api/admin/secrets) or an environment variable ($VAR), not hold the value');
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) checkNoLiteralSecrets(value as Record<string, unknown>, field);
  }
}
