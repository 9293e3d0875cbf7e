// JSON Schema (as OpenAI clients write tool parameters and response_format schemas) → Gemini's
// Schema, "a select subset of an OpenAPI 3.0 schema object". Gemini rejects keywords outside
// that subset (`additionalProperties`, `$schema`, `$ref`, `const`, type arrays, most `format`s),
// so the schema is rebuilt from a whitelist rather than passed as it is:
//
// - kept: type, description, title, nullable, enum (strings), format (the ones Gemini accepts),
//   properties, required (only names that are properties), items, anyOf, min/maxItems,
//   min/maxLength, pattern, minimum, maximum, min/maxProperties, propertyOrdering, default, example;
// - rewritten: `type: [T, "null"]` → `type: T, nullable: true` (several non-null types → anyOf);
//   `oneOf` → anyOf; `allOf` → merged; `const` (string) → one-value enum; `$ref` to `#/$defs/…`
//   or `#/definitions/…` → inlined (recursion cut at a fixed depth); non-string enums → listed in
//   the description; an empty `properties` → left out (Gemini rejects an empty one);
// - dropped: everything else (additionalProperties, $schema, $id, $defs, strict, not, …).
// Reference: https://ai.google.dev/api/caching#Schema
import { assignOwn, copyOwn } from '@gatehousejs/core';

type JsonObject = Record<string, unknown>;

const PASSED = [
  'description',
  'title',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'minProperties',
  'maxProperties',
  'propertyOrdering',
  'default',
  'example',
] as const;

/** The `format` values the Gemini API accepts, by type (others fail the request). */
const FORMATS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['string', new Set(['enum', 'date-time'])],
  ['number', new Set(['float', 'double'])],
  ['integer', new Set(['int32', 'int64'])],
]);

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

/** How deep `$ref`s are followed: a recursive schema is cut there (Gemini has no references). */
const MAX_REF_DEPTH = 8;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

interface Context {
  readonly defs: JsonObject;
  readonly depth: number;
}

function resolveRef(ref: unknown, ctx: Context): JsonObject | undefined {
  if (typeof ref !== 'string') return undefined;
  const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match) return undefined;
  const target = ctx.defs[match[1]!.replace(/~1/g, '/').replace(/~0/g, '~')];
  return isObject(target) ? target : undefined;
}

/** allOf: the sub-schemas' keywords merged (properties and required united; first keyword wins). */
function mergeAllOf(schema: JsonObject): JsonObject {
  const parts = Array.isArray(schema.allOf) ? schema.allOf.filter(isObject) : [];
  const merged: JsonObject = { ...schema };
  delete merged.allOf;
  const properties: JsonObject = isObject(schema.properties) ? { ...schema.properties } : {};
  const required = new Set<string>(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) if (!(key in merged) && key !== 'properties' && key !== 'required') merged[key] = value;
    if (isObject(part.properties)) Object.assign(properties, part.properties);
    if (Array.isArray(part.required)) for (const r of part.required) if (typeof r === 'string') required.add(r);
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

function convert(input: unknown, ctx: Context): JsonObject {
  if (!isObject(input)) return {};
  let schema = input;
  if (schema.$ref !== undefined) {
    const target = ctx.depth < MAX_REF_DEPTH ? resolveRef(schema.$ref, ctx) : undefined;
    // Keywords beside a $ref (a description, say) apply too.
    const { $ref: _ref, ...siblings } = schema;
    if (!target) return convert(siblings, ctx);
    // As data (core's copyOwn), not `{ ...target, ...siblings }`: a hidden class per schema otherwise.
    return convert(assignOwn(copyOwn(target), siblings), { ...ctx, depth: ctx.depth + 1 });
  }
  if (Array.isArray(schema.allOf)) schema = mergeAllOf(schema);

  const out: JsonObject = {};
  let nullable = schema.nullable === true;

  // type: a string, or a list (JSON Schema) → one type plus nullable, or anyOf.
  const types = (Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type])
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.toLowerCase())
    .filter((t) => TYPES.has(t));
  if (types.includes('null')) nullable = true;
  const concrete = types.filter((t) => t !== 'null');
  let type = concrete.length === 1 ? concrete[0] : undefined;

  // enum / const: Gemini's enum holds strings only.
  let values: unknown[] | undefined = Array.isArray(schema.enum) ? schema.enum : schema.const !== undefined ? [schema.const] : undefined;
  if (values?.includes(null)) {
    nullable = true;
    values = values.filter((v) => v !== null);
  }
  let description = typeof schema.description === 'string' ? schema.description : undefined;
  if (values && values.length > 0) {
    if (values.every((v) => typeof v === 'string') && (type === undefined || type === 'string')) {
      type = 'string';
      out.enum = values;
    } else {
      const listed = `Allowed values: ${values.map((v) => JSON.stringify(v)).join(', ')}.`;
      description = description ? `${description} ${listed}` : listed;
    }
  }

  if (type !== undefined) out.type = type;
  else if (concrete.length > 1) out.anyOf = concrete.map((t) => ({ type: t }));

  for (const key of PASSED) if (schema[key] !== undefined) out[key] = schema[key];
  if (description !== undefined) out.description = description;
  if (typeof schema.format === 'string' && type !== undefined && FORMATS.get(type)?.has(schema.format)) out.format = schema.format;
  if (nullable) out.nullable = true;

  if (isObject(schema.properties)) {
    const properties: JsonObject = {};
    for (const [name, sub] of Object.entries(schema.properties)) properties[name] = convert(sub, ctx);
    if (Object.keys(properties).length > 0) {
      out.properties = properties;
      if (out.type === undefined && out.anyOf === undefined) out.type = 'object';
    }
    if (Array.isArray(schema.required)) {
      const required = schema.required.filter((r): r is string => typeof r === 'string' && r in properties);
      if (required.length > 0) out.required = required;
    }
    if (Array.isArray(out.propertyOrdering)) {
      const ordering = (out.propertyOrdering as unknown[]).filter((r): r is string => typeof r === 'string' && r in properties);
      if (ordering.length > 0) out.propertyOrdering = ordering;
      else delete out.propertyOrdering;
    }
  } else {
    delete out.propertyOrdering;
  }

  if (schema.items !== undefined) {
    // A tuple (items as a list) has no Gemini form: its first element's schema stands for all.
    const items = Array.isArray(schema.items) ? schema.items[0] : schema.items;
    out.items = convert(items, ctx);
    if (out.type === undefined && out.anyOf === undefined) out.type = 'array';
  }

  const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (alternatives) {
    // `anyOf: [X, {type: null}]` is how JSON Schema spells "nullable X".
    const nonNull = alternatives.filter((a) => !(isObject(a) && a.type === 'null'));
    if (nonNull.length < alternatives.length) out.nullable = true;
    const converted = nonNull.map((a) => convert(a, ctx));
    if (converted.length === 1 && out.type === undefined) {
      for (const [key, value] of Object.entries(converted[0]!)) if (!(key in out)) out[key] = value;
    } else if (converted.length > 0) {
      out.anyOf = converted;
    }
  }
  return out;
}

/** A JSON Schema rewritten into Gemini's Schema subset (a new object; the input is not touched). */
export function toGeminiSchema(schema: unknown): Record<string, unknown> {
  const defs: JsonObject = {};
  if (isObject(schema)) {
    if (isObject(schema.definitions)) Object.assign(defs, schema.definitions);
    if (isObject(schema.$defs)) Object.assign(defs, schema.$defs);
  }
  return convert(schema, { defs, depth: 0 });
}

/**
 * A tool's `parameters` as a function declaration's: undefined when the function takes no
 * arguments (no schema, or an object without properties), since Gemini rejects an OBJECT
 * parameter schema whose properties are empty, and a declaration without parameters is valid.
 */
export function toFunctionParameters(schema: unknown): Record<string, unknown> | undefined {
  if (schema === undefined || schema === null) return undefined;
  const converted = toGeminiSchema(schema);
  if ((converted.type === 'object' || converted.type === undefined) && converted.properties === undefined && converted.anyOf === undefined) return undefined;
  return converted;
}
