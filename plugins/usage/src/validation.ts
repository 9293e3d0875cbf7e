// ajv instances, created once: schemas are compiled at module load, never per request.
import { Ajv, type ErrorObject } from 'ajv';

export const ajv = new Ajv({ allErrors: false, strict: true });
/** Query strings arrive as text: `limit=50` is coerced to a number before it is checked. */
export const queryAjv = new Ajv({ allErrors: false, strict: true, coerceTypes: true });

/** The parameter an ajv error is about, and what is wrong with it, in words. */
export function describeParamError(error: ErrorObject): { param: string; message: string } {
  const p = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return { param: String(p.additionalProperty), message: 'is not a known parameter' };
  const param = error.instancePath.split('/')[1] ?? '';
  switch (error.keyword) {
    case 'enum':
      return { param, message: `must be one of ${(p.allowedValues as unknown[]).join(', ')}` };
    case 'type':
      return { param, message: `must be a single ${String(p.type)}` };
    case 'pattern':
      return { param, message: 'has an invalid format' };
    default:
      return { param, message: error.message ?? 'is invalid' };
  }
}
