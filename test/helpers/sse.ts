// Reading server-sent events from a fetch Response, bounded in time.
export interface SSEEvent {
  readonly event: string | undefined;
  readonly data: string;
}

/** Read the whole stream (until the server ends it) and split it into events. */
export async function readEvents(response: Response, timeoutMs = 10_000): Promise<SSEEvent[]> {
  const text = await withTimeout(response.text(), timeoutMs, 'SSE stream did not end');
  return parseEvents(text);
}

export function parseEvents(text: string): SSEEvent[] {
  const events: SSEEvent[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0 || event !== undefined) events.push({ event, data: data.join('\n') });
  }
  return events;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
