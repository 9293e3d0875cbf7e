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
  for await (const chunk of body) {
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
