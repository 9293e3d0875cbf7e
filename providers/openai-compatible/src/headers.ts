// Header records for upstream calls, built once per endpoint.

/**
 * Merge header records; later sources win. Names are lower-cased so that 'Authorization' and
 * 'authorization' from two sources cannot both be sent.
 */
export function mergeHeaders(...sources: (Readonly<Record<string, string>> | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) {
    if (!source) continue;
    for (const [name, value] of Object.entries(source)) out[name.toLowerCase()] = value;
  }
  return out;
}

/** `Authorization: Bearer <token>`. Key files and env vars often end in a newline; a header cannot. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token.trim()}` };
}
