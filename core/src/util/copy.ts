// A shallow copy for objects that come from outside (a client's JSON, an upstream's answer or
// headers). Not `{ ...source }` then a key added: in Node 20's V8 that gives each copy a hidden
// class of its own (README, Performance, Hidden classes). Not `Object.assign({}, source)`
// either: it assigns, so an own "__proto__" key (JSON.parse makes one) would set the copy's
// prototype, and its fields would then be inherited by the copy, unvalidated. Own enumerable
// string keys, "__proto__" kept as a plain data property, as a spread keeps it.
export function copyOwn<T extends object>(source: T): T {
  const out: Record<string, unknown> = {};
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    if (key === '__proto__') Object.defineProperty(out, key, { value: source[key], enumerable: true, writable: true, configurable: true });
    else out[key] = source[key];
  }
  return out as T;
}
