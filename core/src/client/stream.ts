// Reading the invocations routes' stream (MLflow's format): one JSON chunk per `data:` event,
// and an `event: error` frame when the stream fails after it started. Core's SSE reader is
// reused: it needs only eventsource-parser, which has no Node API and runs in browsers.
import { readSSE } from '../sse.js';
import type { Attempt } from './attempt.js';
import { streamError } from './errors.js';
import { parseJson } from './http.js';

/** The body's bytes; the attempt's timer runs only while we wait for the next piece. */
async function* bodyBytes(body: ReadableStream<Uint8Array>, attempt: Attempt): AsyncGenerator<Uint8Array> {
  // A reader, not `for await` over the stream: Safari's ReadableStream is not async-iterable.
  const reader = body.getReader();
  for (;;) {
    attempt.startTimer();
    const { done, value } = await reader.read();
    attempt.stopTimer();
    if (done) return;
    yield value;
  }
}

/**
 * The chunks of a stream the gateway has started. Leaving the loop early closes the connection
 * (the gateway then cancels the provider call).
 */
export async function* streamChunks<T>(response: Response, attempt: Attempt): AsyncGenerator<T> {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  try {
    if (!response.body) return;
    for await (const event of readSSE(bodyBytes(response.body, attempt))) {
      if (event.event === 'error') throw streamError(event.data, requestId);
      yield parseJson<T>(event.data, response);
    }
  } catch (error) {
    throw attempt.failure(error);
  } finally {
    attempt.end();
  }
}
