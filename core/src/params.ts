// The declarative parameter-translation helper. A provider describes how each standard
// parameter maps onto its API in a frozen table; `translateParams` is the only code that
// reads such tables, so providers carry data, not if-chains.
import { createError } from './errors.js';
import { setOwn } from './util/copy.js';

export interface ParamRule {
  /** Target path in the provider's body ('stop_sequences', 'generationConfig.temperature'). Defaults to the same name. */
  to?: string;
  /** Linear rescale of a number from the standard range onto the provider's. */
  scale?: { from: readonly [number, number]; to: readonly [number, number] };
  /** Pure conversion of the value (after scaling). */
  convert?: (value: unknown) => unknown;
  /** Value to send when the request leaves the parameter out (what the provider's API requires). */
  default?: unknown;
  /** Not supported: a string rejects any value; a predicate rejects the values it returns a message for. */
  reject?: string | ((value: unknown) => string | undefined);
  /** Silently left out (the provider has no such parameter and ignoring it is harmless). */
  drop?: boolean;
  /** Handled by the provider's own code (messages, tools, ...): the helper leaves it alone. */
  manual?: boolean;
}

export interface ParamMapOptions {
  /** What to do with parameters the table does not name: pass them through (MLflow's behaviour) or drop them. */
  unknown?: 'pass' | 'drop';
}

interface CompiledRule extends ParamRule {
  readonly key: string;
  readonly path: readonly string[];
}

export interface ParamMap {
  readonly rules: ReadonlyMap<string, CompiledRule>;
  readonly defaults: readonly CompiledRule[];
  readonly unknown: 'pass' | 'drop';
}

/** Compile a parameter table once, at module load. The result is deeply frozen. */
export function defineParamMap(table: Record<string, ParamRule>, options: ParamMapOptions = {}): ParamMap {
  const rules = new Map<string, CompiledRule>();
  const defaults: CompiledRule[] = [];
  for (const [key, rule] of Object.entries(table)) {
    const compiled: CompiledRule = Object.freeze({ ...rule, key, path: Object.freeze((rule.to ?? key).split('.')) });
    rules.set(key, compiled);
    if (rule.default !== undefined) defaults.push(compiled);
  }
  return Object.freeze({ rules, defaults: Object.freeze(defaults), unknown: options.unknown ?? 'pass' });
}

function rescale(value: number, scale: NonNullable<ParamRule['scale']>): number {
  const [a, b] = scale.from;
  const [c, d] = scale.to;
  return c + ((value - a) * (d - c)) / (b - a);
}

function getPath(target: Record<string, unknown>, path: readonly string[]): unknown {
  let node: unknown = target;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    let next = node[key];
    if (typeof next !== 'object' || next === null) {
      next = {};
      node[key] = next;
    }
    node = next as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/**
 * Translate the standard parameters of `request` into the provider's body. Manual keys are
 * skipped (the provider writes them). Throws a 400 naming the field for a rejected parameter.
 */
export function translateParams(map: ParamMap, request: Readonly<Record<string, unknown>>, providerName: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in request) {
    const value = request[key];
    // OpenAI's clients send null for "not set": it is absent, so defaults still apply.
    if (value === undefined || value === null) continue;
    const rule = map.rules.get(key);
    if (!rule) {
      if (map.unknown === 'pass') setOwn(out, key, value);
      continue;
    }
    if (rule.manual || rule.drop) continue;
    if (rule.reject !== undefined) {
      const message = typeof rule.reject === 'string' ? rule.reject : rule.reject(value);
      if (message !== undefined) {
        throw createError('GW_ERR_BAD_REQUEST', `${key}: ${message} (provider ${providerName}).`, { param: key });
      }
    }
    let mapped: unknown = value;
    if (rule.scale && typeof mapped === 'number') mapped = rescale(mapped, rule.scale);
    if (rule.convert) mapped = rule.convert(mapped);
    if (mapped !== undefined) setPath(out, rule.path, mapped);
  }
  for (const rule of map.defaults) {
    // Another parameter may already have filled the target (max_completion_tokens -> max_tokens).
    if ((request[rule.key] === undefined || request[rule.key] === null) && getPath(out, rule.path) === undefined) setPath(out, rule.path, rule.default);
  }
  return out;
}
