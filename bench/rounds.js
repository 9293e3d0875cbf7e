// Interleaved rounds. This host's speed swings by a fifth within minutes and, now and then, by
// half for a few seconds; one window per target let a single bad window decide a target. Each
// connection count is measured in K rounds (direct, bare proxy, gateway, then the other way
// round), a ratio is taken within each round, and the verdict reads the median of those ratios.

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values) {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

/** The order targets are measured in round `index`: forwards, then backwards, so none is always first. */
export function roundOrder(targets, index) {
  return index % 2 === 0 ? [...targets] : [...targets].reverse();
}

/** The median over rounds of `fn(round)`; rounds where it is not a finite number are left out. */
export function medianOver(rounds, fn) {
  return median(rounds.map((round) => {
    try {
      return fn(round);
    } catch {
      return NaN;
    }
  }));
}

/**
 * One target's figures for the tables: the round whose req/s is the median of that target's
 * (a real measurement, so its latency, CPU and req/s belong together), with the errors of every
 * round added up so that an error in any round shows.
 */
export function representative(results) {
  const present = results.filter(Boolean);
  if (present.length === 0) return undefined;
  const sorted = [...present].sort((a, b) => a.rps - b.rps);
  const middle = sorted[(sorted.length - 1) >> 1];
  const errors = present.reduce((sum, r) => sum + r.errors, 0);
  const errorKinds = {};
  for (const r of present) {
    for (const [kind, { count, sample }] of Object.entries(r.errorKinds ?? {})) {
      errorKinds[kind] = { count: (errorKinds[kind]?.count ?? 0) + count, sample: errorKinds[kind]?.sample ?? sample };
    }
  }
  return { ...middle, errors, errorKinds, rounds: present.length };
}

/** A connection count's rounds as one measurement: representative figures per target, the rounds kept. */
export function combineRounds(connections, rounds) {
  const out = { connections, rounds };
  for (const key of ['direct', 'bare', 'gateway']) {
    const figures = representative(rounds.map((round) => round[key]));
    if (figures) out[key] = figures;
  }
  return out;
}
