// Calendar windows in an IANA time zone: a budget's day starts at local midnight, its week on
// Monday, its month on the 1st, whatever the zone's offset and its daylight-saving changes.
// Intl.DateTimeFormat gives the wall clock at an instant; the reverse is found from the offsets
// on either side (a zone changes its offset at most once in two days).
import type { ExplicitWindow } from '@gatehousejs/core';

export const BUDGET_WINDOWS = ['minute', 'hour', 'day', 'week', 'month'] as const;
export type BudgetWindow = (typeof BUDGET_WINDOWS)[number];

const DAY_MS = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError for a zone Intl does not know. */
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock at `instant` in `timeZone`, written as if it were a UTC instant (seconds precision). */
function wallClock(instant: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
}

/** The zone's offset from UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  return wallClock(instant, timeZone) - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The first instant whose wall clock is `wall`: the earlier of two in a repeated hour (autumn),
 * the end of the gap for a skipped one (spring: the period starts when the clocks jump).
 */
function instantOf(wall: number, timeZone: string): number {
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const early = wall - before;
  const late = wall - after;
  const earlyHolds = offsetAt(early, timeZone) === before;
  const lateHolds = offsetAt(late, timeZone) === after;
  if (earlyHolds && lateHolds) return Math.min(early, late);
  // Neither holds in a gap: the clocks jumped at `early`.
  return lateHolds && !earlyHolds ? late : early;
}

/** The wall-clock start of the period holding `wall`, and the start of the next one. */
function wallBounds(window: BudgetWindow, wall: number): [number, number] {
  const d = new Date(wall);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  switch (window) {
    case 'minute':
      return [Date.UTC(y, m, day, d.getUTCHours(), d.getUTCMinutes()), Date.UTC(y, m, day, d.getUTCHours(), d.getUTCMinutes() + 1)];
    case 'hour':
      return [Date.UTC(y, m, day, d.getUTCHours()), Date.UTC(y, m, day, d.getUTCHours() + 1)];
    case 'day':
      return [Date.UTC(y, m, day), Date.UTC(y, m, day + 1)];
    case 'week': {
      // getUTCDay: Sunday 0 … Saturday 6; weeks start on Monday (ISO 8601).
      const monday = day - ((d.getUTCDay() + 6) % 7);
      return [Date.UTC(y, m, monday), Date.UTC(y, m, monday + 7)];
    }
    case 'month':
      return [Date.UTC(y, m, 1), Date.UTC(y, m + 1, 1)];
  }
}

/** The window of `window` in `timeZone` holding `now`. */
export function calendarWindow(window: BudgetWindow, timeZone: string, now: number): ExplicitWindow {
  const [start, end] = wallBounds(window, wallClock(now, timeZone));
  return { start: instantOf(start, timeZone), end: instantOf(end, timeZone) };
}

/** `instant` as ISO 8601 in `timeZone`'s local time with its offset: 2026-12-08T00:00:00+01:00. */
export function isoInZone(instant: number, timeZone: string): string {
  const offset = Math.round(offsetAt(instant, timeZone) / 60_000);
  const local = new Date(instant - (((instant % 1000) + 1000) % 1000) + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
