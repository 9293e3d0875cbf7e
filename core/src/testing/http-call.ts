// One HTTP call to a test gateway as the plugin suites make them: an optional Bearer key, a JSON
// body, and the answer with its text and (when it is JSON) its parsed body.
export interface CallReply {
  readonly status: number;
  /** The parsed JSON body, or `{ text }` when the answer is not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read any field
  readonly body: Record<string, any>;
  readonly text: string;
  readonly headers: Headers;
}

export interface CallOptions {
  /** Sent as `Authorization: Bearer <key>`. */
  readonly key?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly body?: unknown;
}

export async function callGateway(base: string, method: string, pathname: string, options: CallOptions = {}): Promise<CallReply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${pathname}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let body: Record<string, any>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: res.status, body, text, headers: res.headers };
}
