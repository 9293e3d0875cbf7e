// How the dashboard writes numbers: short enough for a table cell, exact enough to compare.

const DASH = '—';

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? DASH : n.toLocaleString('en-US');
}

/** Tokens: 950, 12.3k, 4.5M. */
export function formatTokens(n: number | null | undefined): string {
  if (n === null || n === undefined) return DASH;
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  if (abs < 1e6) return `${trim(n / 1e3)}k`;
  if (abs < 1e9) return `${trim(n / 1e6)}M`;
  return `${trim(n / 1e9)}B`;
}

/** One decimal below 100 (12.3k), none above (123k). */
function trim(n: number): string {
  return Math.abs(n) < 100 ? n.toFixed(1).replace(/\.0$/, '') : Math.round(n).toString();
}

/** Milliseconds: 0.42 ms, 8.5 ms, 120 ms, 1.25 s. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return DASH;
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1).replace(/\.0$/, '')} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2).replace(/\.?0+$/, '')} s`;
  return `${(ms / 60_000).toFixed(1).replace(/\.0$/, '')} min`;
}

/** Dollars: cents for sums, three significant digits for the fractions of a cent one request costs. */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return DASH;
  if (usd === 0) return '$0';
  const abs = Math.abs(usd);
  if (abs >= 1) return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (abs >= 0.01) return `$${usd.toFixed(4).replace(/0{1,2}$/, '')}`;
  return `$${Number(usd.toPrecision(3)).toFixed(Math.min(12, 2 - Math.floor(Math.log10(abs)))).replace(/0+$/, '')}`;
}

export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return DASH;
  if (rate === 0) return '0%';
  const pct = rate * 100;
  return `${pct < 10 ? pct.toFixed(1).replace(/\.0$/, '') : Math.round(pct)}%`;
}

/** Local date and time to the second (the operator's clock, not UTC). */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  return `${d.toLocaleDateString('en-CA')} ${d.toLocaleTimeString('en-GB')}`;
}

/** A group's name as shown: records without the field group under "(none)". */
export function groupLabel(name: string | null): string {
  return name ?? '(none)';
}
