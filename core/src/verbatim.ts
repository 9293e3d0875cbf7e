// An upstream answer that is already exactly what the client gets: the gateway parsed it (to
// check it, read its usage, run hooks) but has nothing to change, so the reply can be the
// upstream's own bytes instead of the object printed again. Opt-in by the provider that made the
// object, which knows whether it changed anything (keepVerbatim after checking, dropVerbatim on
// any edit); core drops the mark before any hook that may edit the answer (transformResponse).
// The bytes are held by a non-enumerable symbol-keyed property: JSON.stringify, Object.keys,
// spreads and deep comparisons skip it.

const VERBATIM: unique symbol = Symbol('gatehouse.verbatim');

type Marked = { [VERBATIM]?: Uint8Array | undefined };

/** Mark `body` as equal, as JSON, to `bytes` (the upstream's answer it was parsed from). */
export function keepVerbatim<T extends object>(body: T, bytes: Uint8Array): T {
  // Not enumerable: deep comparisons and copies of the answer see the same object as before.
  Object.defineProperty(body, VERBATIM, { value: bytes, writable: true, configurable: true, enumerable: false });
  return body;
}

/** The upstream bytes `body` still equals, if it was marked and not changed since. */
export function verbatimBytes(body: unknown): Uint8Array | undefined {
  return typeof body === 'object' && body !== null ? (body as Marked)[VERBATIM] : undefined;
}

/** Forget the mark: `body` is about to change (set to undefined, not deleted: a delete makes the object slow). */
export function dropVerbatim(body: unknown): void {
  if (typeof body === 'object' && body !== null && (body as Marked)[VERBATIM] !== undefined) (body as Marked)[VERBATIM] = undefined;
}
