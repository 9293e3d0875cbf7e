// Server-sent events: reading an upstream's stream and writing ours.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SSEEvent {
  /** The `event:` field, or undefined for plain `data:` events. */
  event: string | undefined;
  data: string;
  id: string | undefined;
}

/** Parse a byte stream of SSE into events, as they arrive. */
export async function* readSSE(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SSEEvent> {
  const queue: SSEEvent[] = [];
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      queue.push({ event: message.event, data: message.data, id: message.id });
    },
  });
  const decoder = new TextDecoder();
  // A reader that stops early (at `[DONE]`) leaves the stream to its owner, which can let the
  // last bytes in and keep the connection: a Readable's own iterator would destroy it (and build
  // an AbortError with a stack trace) on the way out.
  const readable = body as AsyncIterable<Uint8Array | string> & { iterator?: (options: { destroyOnReturn: boolean }) => AsyncIterable<Uint8Array | string> };
  const source = typeof readable.iterator === 'function' ? readable.iterator({ destroyOnReturn: false }) : body;
  for await (const chunk of source) {
    parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    while (queue.length > 0) yield queue.shift()!;
  }
  parser.feed(decoder.decode());
  // A final event without its blank line still counts: some servers end that way.
  parser.feed('\n\n');
  while (queue.length > 0) yield queue.shift()!;
}

/** One SSE frame. `data` must not contain raw newlines (JSON.stringify output never does). */
export function sseFrame(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';
