// Summary groupings. Kept free of imports: the SQLite worker thread loads this, and a lean
// worker starts fast.

/** `none`: one group for everything that matches (the whole range's percentiles). */
export const GROUP_BY = ['endpoint', 'model', 'provider', 'key', 'user', 'minute', 'hour', 'day', 'none'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

/** Time buckets are UTC, by integer division of epoch ms. */
export const TIME_BUCKET_MS: Readonly<Partial<Record<GroupBy, number>>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
