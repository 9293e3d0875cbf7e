// A made-up provider "acme" with native routes, and the local upstream it forwards to: core's
// native-route tests need a protocol that is nobody's, so that no real provider is named.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { defineProvider } from '../src/define.js';
import { createError } from '../src/errors.js';
import { guardStream, sendUpstream } from '../src/upstream/http.js';
import type { ProviderDefinition } from '../src/api/provider.js';
import type { NativeRequest, NativeRouteDefinition } from '../src/api/native-routes.js';
import type { ChatChunk, Usage } from '../src/api/openai-types.js';

export const GATEWAY_KEY = 'acme-gateway-key-0123456789';

export interface UpstreamRecord {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: any;
  /** True once the connection closed before the answer was complete. */
  cutShort: boolean;
}

/** The upstream's behaviour, set by the request body's `script`. */
interface Script {
  status?: number;
  frames?: number;
  frame_delay_ms?: number;
  break_after?: number;
}

/** Acme's upstream: JSON `{text, model, usage: {in, out}}`, or SSE `data: {"text"}` frames then a usage frame. */
export class AcmeUpstream {
  readonly requests: UpstreamRecord[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<AcmeUpstream> {
    let upstream!: AcmeUpstream;
    const server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        const record: UpstreamRecord = { path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(parts).toString('utf8') || '{}'), cutShort: false };
        upstream.requests.push(record);
        res.on('close', () => {
          if (!res.writableFinished) record.cutShort = true;
        });
        void answer(record, res);
      });
    });
    upstream = new AcmeUpstream(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return upstream;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get last(): UpstreamRecord {
    return this.requests.at(-1)!;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function answer(record: UpstreamRecord, res: ServerResponse): Promise<void> {
  const script: Script = record.body.script ?? {};
  if (script.status) {
    res.writeHead(script.status, { 'content-type': 'application/json' });
    // An upstream that echoes the key it was sent: the gateway must scrub it.
    res.end(JSON.stringify({ acme_error: { text: `refused (${script.status}) for key ${GATEWAY_KEY}` } }));
    return;
  }
  if (!record.body.stream) {
    res.writeHead(200, { 'content-type': 'application/json', 'acme-request-id': 'acme-req-1', 'x-request-id': 'upstream-id' });
    res.end(JSON.stringify({ text: `answer to ${record.body.prompt}`, model: record.body.model, usage: { in: 4, out: 3 } }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const frames = script.frames ?? 3;
  for (let i = 0; i < frames; i++) {
    if (res.destroyed) return;
    if (script.break_after !== undefined && i === script.break_after) {
      res.destroy();
      return;
    }
    res.write(`data: ${JSON.stringify({ text: `t${i} ` })}\n\n`);
    if (script.frame_delay_ms) await sleep(script.frame_delay_ms);
  }
  res.end(`data: ${JSON.stringify({ usage: { in: 4, out: frames } })}\n\n`);
}

/** What each acme handler was handed, for assertions. */
export const received: NativeRequest[] = [];

const acmeError = (e: { type: string; message: string; status: number }) => ({ acme_error: { kind: e.type, text: e.message, status: e.status } });

const chatRoute: NativeRouteDefinition = {
  method: 'POST',
  path: '/acme/v1/chat',
  handler: 'acme.chat',
  endpointType: 'llm/v1/chat',
  credentials: [{ header: 'x-acme-key' }, { query: 'key' }],
  errorBody: acmeError,
  streamError: (e) => `event: failure\ndata: ${JSON.stringify({ text: e.message })}\n\n`,
  translate: {
    toCanonical(body) {
      // `script` steers core's scripted test provider.
      const { prompt, script } = body as { prompt?: unknown; script?: unknown };
      if (typeof prompt !== 'string') throw createError('GW_ERR_BAD_REQUEST', "'prompt' is required.", { param: 'prompt' });
      return { model: '', messages: [{ role: 'user', content: String(prompt) }], ...(script ? { script } : {}) } as never;
    },
    fromCanonical: (response, requested) => ({ text: response.choices[0]?.message.content, model: requested }),
    async *streamFromCanonical(chunks: AsyncIterable<ChatChunk>) {
      for await (const chunk of chunks) {
        const text = chunk.choices[0]?.delta.content;
        if (text) yield `data: ${JSON.stringify({ text })}\n\n`;
      }
      yield 'data: {"done":true}\n\n';
    },
  },
};

export const acmeRoutes: readonly NativeRouteDefinition[] = [
  chatRoute,
  { method: 'POST', path: '/acme/v1/embed', handler: 'acme.embed', endpointType: 'llm/v1/embeddings', errorBody: acmeError },
  {
    method: 'POST',
    path: '/acme/v1/models/:endpoint/run',
    handler: 'acme.chat',
    endpointType: 'llm/v1/chat',
    endpointFrom: { param: 'endpoint' },
    streamFrom: { always: false },
    errorBody: acmeError,
  },
];

const usageOf = (u: { in: number; out: number }): Usage => ({ prompt_tokens: u.in, completion_tokens: u.out, total_tokens: u.in + u.out });

/** Reads `data:` frames as they pass, keeping the usage frame's count. */
async function* tally(body: AsyncIterable<Uint8Array>, found: (usage: Usage) => void): AsyncGenerator<Uint8Array> {
  for await (const piece of body) {
    const match = /"usage":(\{[^}]*\})/.exec(Buffer.from(piece).toString('utf8'));
    if (match) found(usageOf(JSON.parse(match[1]!)));
    yield piece;
  }
}

export const acme: ProviderDefinition = defineProvider({
  id: 'acme',
  apiVersion: 1,
  secretOptions: ['api_key'],
  nativeRoutes: acmeRoutes,
  optionsSchema: { type: 'object', additionalProperties: false, required: ['base'], properties: { api_key: { type: 'string' }, base: { type: 'string' } } },
  create(options, services) {
    const headers = { 'x-acme-key': String(options.api_key) };
    return {
      native: {
        async 'acme.chat'(request, call) {
          received.push(request);
          const res = await sendUpstream(services.dispatcher, { provider: 'Acme', url: `${options.base}/chat`, headers, body: request.body }, call);
          const replyHeaders = { 'acme-request-id': String(res.headers['acme-request-id'] ?? ''), 'x-request-id': 'must-not-pass' };
          if (res.status >= 400) return { status: res.status, body: await res.body.json() };
          if (request.stream) {
            let usage: Usage | undefined;
            const stream = guardStream(tally(res.body, (u) => (usage = u)), call, 'Acme', () => res.body.destroy());
            return { status: 200, headers: { 'content-type': 'text/event-stream' }, stream, usage: () => usage };
          }
          const body = (await res.body.json()) as { usage: { in: number; out: number } };
          return { status: 200, headers: replyHeaders, body, usage: () => usageOf(body.usage) };
        },
        async 'acme.embed'(request) {
          received.push(request);
          return { status: 200, body: { vectors: [[1, 2]] } };
        },
      },
    };
  },
});
