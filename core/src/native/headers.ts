// Headers across a native route: what the handler may see of the client's request, and what of
// the handler's answer may reach the client.

// Never sent back: they describe the upstream connection or body encoding (core re-frames the
// body), would set state in the client, or are core's own (the request id, Server-Timing).
const NEVER_REPLIED: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'trailer',
  'content-length',
  'content-encoding',
  'set-cookie',
  'x-request-id',
  'server-timing',
]);

/** Lower-cased request headers without the stripped ones and those the `Connection` header names. */
export function forwardableHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  stripped: ReadonlySet<string>,
): Record<string, string | string[]> {
  const connection = headers.connection;
  const named = typeof connection === 'string' ? connection.toLowerCase().split(',').map((name) => name.trim()) : [];
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (value === undefined || stripped.has(key) || named.includes(key)) continue;
    out[key] = value;
  }
  return out;
}

/** The handler's reply headers (content-type, the provider's request id, ...) minus those core owns. */
export function replyHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const key = name.toLowerCase();
    if (!NEVER_REPLIED.has(key)) out[key] = value;
  }
  return out;
}
