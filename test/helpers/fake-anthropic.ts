// A local server that speaks Anthropic's Messages API: POST /v1/messages answered with a Message
// (https://docs.anthropic.com/en/api/messages), a stream of its events
// (https://docs.anthropic.com/en/api/messages-streaming), or an error body
// (https://docs.anthropic.com/en/api/errors). It records every request, headers included.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { startRecordingServer, type RecordingServer } from '@gatehousejs/core/testing';

export interface AnthropicRecorded {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: any;
}

export interface AnthropicFailure {
  readonly status: number;
  /** Anthropic's error type (rate_limit_error, invalid_request_error, ...). */
  readonly type: string;
  readonly message: string;
}

/** The usage every answer reports: cache reads come on top of input_tokens at Anthropic. */
export const FAKE_USAGE = Object.freeze({ input_tokens: 11, cache_creation_input_tokens: 0, cache_read_input_tokens: 4, output_tokens: 7 });

export const answerTo = (text: string): string => `Fake Anthropic answer to: ${text}`;

function lastUserText(body: any): string {
  const last = [...(Array.isArray(body?.messages) ? body.messages : [])].reverse().find((m: any) => m?.role === 'user');
  if (typeof last?.content === 'string') return last.content;
  return Array.isArray(last?.content) ? last.content.filter((b: any) => b?.type === 'text').map((b: any) => b.text).join('') : '';
}

export function sendAnthropicError(res: ServerResponse, failure: AnthropicFailure): void {
  res.writeHead(failure.status, {
    'content-type': 'application/json',
    'request-id': 'req_011CSHfake',
    // Anthropic tells its SDKs whether a retry may help; the tests want one attempt.
    'x-should-retry': 'false',
    ...(failure.status === 429 ? { 'retry-after': '7' } : {}),
  });
  res.end(JSON.stringify({ type: 'error', error: { type: failure.type, message: failure.message }, request_id: 'req_011CSHfake' }));
}

export class FakeAnthropic {
  readonly requests: AnthropicRecorded[] = [];
  /** Answer the next requests with this error (until reset). */
  failure: AnthropicFailure | undefined;
  /** After the first text delta, end streams with Anthropic's `error` event, or cut the connection (until reset). */
  failMidStream: 'error-event' | 'cut' | undefined;

  private constructor(private readonly server: RecordingServer) {}

  static async start(): Promise<FakeAnthropic> {
    let fake!: FakeAnthropic;
    const server = await startRecordingServer((request, res) => {
      let body: unknown;
      try {
        body = request.text ? JSON.parse(request.text) : undefined;
      } catch {
        body = request.text;
      }
      const recorded: AnthropicRecorded = { method: request.method, path: request.path, headers: request.headers, body };
      fake.requests.push(recorded);
      return fake.handle(recorded, res);
    });
    fake = new FakeAnthropic(server);
    return fake;
  }

  /** The base to configure as `anthropic_api_base`. */
  get url(): string {
    return this.server.url;
  }

  reset(): void {
    this.requests.length = 0;
    this.failure = undefined;
    this.failMidStream = undefined;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private async handle(req: AnthropicRecorded, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || req.path !== '/v1/messages') {
      return sendAnthropicError(res, { status: 404, type: 'not_found_error', message: `Not found: ${req.method} ${req.path}` });
    }
    if (this.failure) return sendAnthropicError(res, this.failure);
    const model = String(req.body?.model ?? '');
    const text = answerTo(lastUserText(req.body));
    if (req.body?.stream === true) return this.stream(res, model, text);
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_011CSHfake' });
    res.end(
      JSON.stringify({
        id: 'msg_01FakeAnthropic',
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: FAKE_USAGE,
      }),
    );
  }

  /** The documented event flow, one event per turn of the event loop. */
  private async stream(res: ServerResponse, model: string, text: string): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': 'req_011CSHfake' });
    const send = async (data: { type: string } & Record<string, unknown>): Promise<void> => {
      res.write(`event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`);
      await new Promise((resolve) => setImmediate(resolve));
    };
    const message = { id: 'msg_01FakeAnthropic', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null };
    await send({ type: 'message_start', message: { ...message, usage: { ...FAKE_USAGE, output_tokens: 1 } } });
    await send({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    await send({ type: 'ping' });
    for (const piece of text.split(/(?<= )/)) {
      await send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } });
      if (this.failMidStream === 'cut') return void res.destroy();
      if (this.failMidStream === 'error-event') {
        await send({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
        return void res.end();
      }
    }
    await send({ type: 'content_block_stop', index: 0 });
    await send({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: FAKE_USAGE.output_tokens } });
    await send({ type: 'message_stop' });
    res.end();
  }
}
