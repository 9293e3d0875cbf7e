// A local OpenAI-style chat upstream that fails, stalls and rate-limits on command: each
// request takes the next behaviour queued for its path prefix (/a, /b, ...), 'ok' when the
// queue is empty. It counts the requests each prefix received.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineProvider } from '../src/define.js';
import { requestJson, requestSSE, parseEventJson } from '../src/upstream/http.js';
import type { ChatChunk, ChatRequest, ChatResponse } from '../src/api/openai-types.js';
import type { ProviderDefinition } from '../src/api/provider.js';

export type Behaviour =
  | 'ok'
  /** Answer with this status and an OpenAI error body; optional Retry-After seconds. */
  | { status: number; retryAfter?: number }
  /** Send nothing at all (not even headers) until the client gives up. */
  | 'stall'
  /** Stream `chunks` content chunks, then go silent without ending. */
  | { stallAfterChunks: number }
  /** Stream `chunks` content chunks, then cut the connection. */
  | { resetAfterChunks: number }
  /** Close the socket without answering. */
  | 'reset';

export interface FlakyUpstream {
  readonly url: string;
  queue(prefix: string, ...behaviours: Behaviour[]): void;
  count(prefix: string): number;
  times(prefix: string): number[];
  reset(): void;
  close(): Promise<void>;
}

function chunk(id: string, content: string | undefined, finish: string | null): string {
  const delta = content === undefined ? {} : { content };
  return `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

export async function startFlakyUpstream(): Promise<FlakyUpstream> {
  const queues = new Map<string, Behaviour[]>();
  const arrivals = new Map<string, number[]>();
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const prefix = `/${(req.url ?? '/').split('/')[1]}`;
    arrivals.set(prefix, [...(arrivals.get(prefix) ?? []), Date.now()]);
    const behaviour = queues.get(prefix)?.shift() ?? 'ok';
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d));
    req.on('end', () => {
      const body = JSON.parse(raw) as ChatRequest;
      const id = `${prefix.slice(1)}-${arrivals.get(prefix)!.length}`;
      if (behaviour === 'reset') return req.socket.destroy();
      if (behaviour === 'stall') return void open.add(res);
      if (typeof behaviour === 'object' && 'status' in behaviour) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (behaviour.retryAfter !== undefined) headers['retry-after'] = String(behaviour.retryAfter);
        res.writeHead(behaviour.status, headers);
        return res.end(JSON.stringify({ error: { message: `scripted ${behaviour.status}`, type: 'server_error' } }));
      }
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        const answer: ChatResponse = {
          id,
          object: 'chat.completion',
          created: 1,
          model: body.model ?? 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: `answer from ${prefix}` }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 },
        };
        return res.end(JSON.stringify(answer));
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const n = typeof behaviour === 'object' ? ('stallAfterChunks' in behaviour ? behaviour.stallAfterChunks : behaviour.resetAfterChunks) : 3;
      for (let i = 0; i < n; i++) res.write(chunk(id, `${prefix}:${i} `, null));
      if (typeof behaviour === 'object' && 'stallAfterChunks' in behaviour) return void open.add(res);
      if (typeof behaviour === 'object' && 'resetAfterChunks' in behaviour) return void setTimeout(() => req.socket.destroy(), 20);
      res.write(chunk(id, undefined, 'stop'));
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queue: (prefix, ...behaviours) => queues.set(prefix, [...(queues.get(prefix) ?? []), ...behaviours]),
    count: (prefix) => arrivals.get(prefix)?.length ?? 0,
    times: (prefix) => arrivals.get(prefix) ?? [],
    reset() {
      queues.clear();
      arrivals.clear();
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A minimal provider speaking OpenAI's wire format over core's upstream helpers. */
export const httpChat: ProviderDefinition = defineProvider({
  id: 'http-chat',
  apiVersion: 1,
  optionsSchema: { type: 'object', required: ['api_base'], properties: { api_base: { type: 'string' } }, additionalProperties: false },
  create(options, services) {
    const url = `${options.api_base as string}/chat/completions`;
    return {
      chat: (request, call) => requestJson<ChatResponse>(services.dispatcher, { provider: 'Flaky', url, body: request }, call),
      async *chatStream(request, call) {
        for await (const event of await requestSSE(services.dispatcher, { provider: 'Flaky', url, body: request }, call)) {
          if (event.data === '[DONE]') return;
          yield parseEventJson<ChatChunk>(event.data, 'Flaky');
        }
      },
    };
  },
});
