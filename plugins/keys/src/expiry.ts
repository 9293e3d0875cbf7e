// Expiry as people write it: a duration from now (`90m`, `12h`, `30d`, `8w`) or an ISO 8601
// date (`2026-12-31`, midnight UTC) or date-time (`2026-12-31T18:00:00Z`).
const DURATION = /^(\d+)(m|h|d|w)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
// A date-time needs its zone: without one it would mean the server's local time.
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** Epoch ms, or an Error saying what is wrong (the caller names the field). */
export function parseExpiry(text: string, now: number, durations = true): number | Error {
  const duration = durations ? DURATION.exec(text) : null;
  if (duration) return now + Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS];
  const ms = ISO.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) {
    return new Error(durations ? 'must be a duration from now (90m, 12h, 30d, 8w) or an ISO 8601 date or date-time with its zone' : 'must be an ISO 8601 date or date-time with its zone');
  }
  return ms;
}
