// Copies of objects that come from outside (a client's JSON, an upstream's answer or headers).
// Not `{ ...source }` then a key added: in Node 20's V8 that gives each copy a hidden class of
// its own (README, Performance, Hidden classes). Not `Object.assign({}, source)` either, nor
// `out[key] = value` for a client's key: they assign, so an own "__proto__" key (JSON.parse
// makes one) would set the copy's prototype, and its fields would be inherited by the copy,
// past validation. Here "__proto__" stays a plain data property, as a spread keeps it.

/** Set `key` on `target` as an own data property, whatever the key ("__proto__" included). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Set each own enumerable string key of `source` on `target` (a later source wins), as data. */
export function assignOwn<T extends object>(target: T, source: object): T {
  for (const key in source) {
    if (Object.prototype.hasOwnProperty.call(source, key)) setOwn(target as Record<string, unknown>, key, (source as Record<string, unknown>)[key]);
  }
  return target;
}

/** A shallow copy of the own enumerable string keys of `source`, without `omit` when given. */
export function copyOwn<T extends object>(source: T, omit?: string): T {
  const out: Record<string, unknown> = {};
  for (const key in source) {
    if (key === omit || !Object.prototype.hasOwnProperty.call(source, key)) continue;
    setOwn(out, key, source[key]);
  }
  return out as T;
}
