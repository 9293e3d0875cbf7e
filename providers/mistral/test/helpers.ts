// Test plumbing: the shared helpers of @gatehousejs/provider-openai-compatible/testing (a MockAgent
// per test, recording interceptors, the gateway's way of building an instance), plus a dispatcher
// that delivers each answer a few bytes at a time, so that SSE events and JSON are split across
// reads as on a real connection.
import type { Dispatcher, MockAgent } from 'undici';

export { agentPerTest, answer, instanceOf, rejection, type SentRequest } from '@gatehousejs/provider-openai-compatible/testing';

/** Build an SSE body from events (objects as JSON, strings as they are), each `data:` line ended by a blank line. */
export const sse = (events: unknown[]): string => events.map((e) => `data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`).join('');

/** A dispatcher over `agent` whose response bodies arrive `size` bytes at a time, one piece per tick. */
export function inPieces(agent: MockAgent, size = 7): Dispatcher {
  type Handler = Dispatcher.DispatchHandler;
  return agent.compose((dispatch) => (opts, handler: Handler) => {
    let queue = Promise.resolve();
    // A piece is delivered on a later tick, unless the reader has given up on the body meanwhile.
    const later = (controller: { readonly aborted: boolean }, step: () => void): void => {
      queue = queue.then(() => new Promise<void>((resolve) => setImmediate(() => (controller.aborted || step(), resolve()))));
    };
    return dispatch(opts, {
      onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
      onResponseStart: (controller, status, headers, message) => handler.onResponseStart?.(controller, status, headers, message),
      onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
      onResponseData(controller, chunk: Buffer) {
        for (let i = 0; i < chunk.length; i += size) {
          const piece = Buffer.from(chunk.subarray(i, i + size));
          later(controller, () => handler.onResponseData?.(controller, piece));
        }
      },
      onResponseEnd: (controller, trailers) => later(controller, () => handler.onResponseEnd?.(controller, trailers)),
    } as Handler);
  });
}
