// One ajv setup for every schema in the gateway, and one way to word its errors.
import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: its default export arrives wrapped one level deep under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true, ...options });
  addFormats(ajv);
  return ajv;
}

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown key "${String(p.additionalProperty)}"`;
    case 'required':
      return `missing required key "${String(p.missingProperty)}"`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'type':
      return `must be ${String(p.type).replace(',', ' or ')}`;
    case 'pattern':
      return `must match ${String(p.pattern)}`;
    default:
      return error.message ?? 'is invalid';
  }
}

function valueAt(data: unknown, pointer: string): unknown {
  if (!pointer) return data;
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function shortValue(value: unknown): string {
  if (value === undefined) return '';
  const text = JSON.stringify(value);
  if (text === undefined) return '';
  return text.length > 60 ? ` (got ${text.slice(0, 57)}...)` : ` (got ${text})`;
}

export interface FormattedError {
  /** JSON pointer of the offending value ('' for the root). */
  pointer: string;
  message: string;
}

/**
 * Turn ajv's errors into one line each: pointer and what was expected. Errors of the
 * branches of anyOf/if are folded into the most specific ones, to keep the list readable.
 */
export function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined, data: unknown, opts: { showValues?: boolean } = {}): FormattedError[] {
  if (!errors) return [];
  const out: FormattedError[] = [];
  const seen = new Set<string>();
  const deepest = errors.filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword));
  const list = deepest.length > 0 ? deepest : errors;
  for (const error of list) {
    // For unknown and missing keys the message names the key; the pointer is the object holding it.
    const pointer = error.instancePath;
    const value = error.keyword === 'additionalProperties' || error.keyword === 'required' ? undefined : valueAt(data, pointer);
    const message = describe(error) + (opts.showValues === false ? '' : shortValue(value));
    const key = `${pointer}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pointer, message });
  }
  return out;
}

/** A JSON pointer in the dotted/bracket notation request errors use: /messages/0/role -> messages[0].role. */
export function pointerToField(pointer: string): string {
  let field = '';
  for (const part of pointer.split('/').slice(1)) {
    if (/^\d+$/.test(part)) field += `[${part}]`;
    else field += field ? `.${part}` : part;
  }
  return field;
}
