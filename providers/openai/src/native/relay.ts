// An upstream SSE body passed on event by event: each event goes out as soon as it is complete,
// after an inspector has looked at it (to tally usage) and decided whether the client gets it.
import { readSSE, type SSEEvent } from '@gatehousejs/core';

/** Looks at an event as it passes; false keeps it from the client. */
export type EventInspector = (event: SSEEvent) => boolean;

export async function* relayEvents(body: AsyncIterable<Uint8Array>, inspect: EventInspector): AsyncGenerator<string> {
  for await (const event of readSSE(body)) {
    if (inspect(event)) yield frameOf(event);
  }
}

/** The event as SSE text again (a multi-line `data` keeps its lines). */
export function frameOf(event: SSEEvent): string {
  let text = event.event === undefined ? '' : `event: ${event.event}\n`;
  if (event.id !== undefined) text += `id: ${event.id}\n`;
  for (const line of event.data.split('\n')) text += `data: ${line}\n`;
  return `${text}\n`;
}

/** An event's JSON payload, or undefined when it is not JSON (such an event is passed on untouched). */
export function payloadOf(event: SSEEvent): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(event.data);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
