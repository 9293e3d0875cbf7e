// A local server that speaks OpenAI's wire format (and Anthropic's /v1/messages), records what
// it receives, and lets a test take over any request. Formats follow the API reference:
// https://platform.openai.com/docs/api-reference/chat/object (and /chat-streaming,
// /completions/object, /embeddings/object), errors as in /docs/guides/error-codes,
// Anthropic's https://docs.anthropic.com/en/api/messages.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { startRecordingServer, type RecordingServer } from '@gatehousejs/core/testing';

export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: any;
}

/** Return true when the request was answered. */
export type Override = (req: Recorded, res: ServerResponse) => boolean | Promise<boolean>;

type Json = Record<string, unknown>;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_fake', ...headers });
  res.end(text);
}

/** OpenAI's error body. */
export function openAIError(message: string, type: string, code: string | null): Json {
  return { error: { message, type, param: null, code } };
}

export function startSSE(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
}

export function sseData(res: ServerResponse, payload: unknown): void {
  res.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
}

export function lastUserText(body: any): string {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return typeof last?.content === 'string' ? last.content : '';
}

const CREATED = 1_741_569_952;

export function chatCompletion(model: string, text: string): Json {
  return {
    id: 'chatcmpl-fake123',
    object: 'chat.completion',
    created: CREATED,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: 9,
      completion_tokens: 5,
      total_tokens: 14,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
}

export function chatChunk(model: string, delta: Json, finish: string | null, includeUsage: boolean): Json {
  return {
    id: 'chatcmpl-fake123',
    object: 'chat.completion.chunk',
    created: CREATED,
    model,
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  };
}

/** Deterministic small vectors. */
export function fakeVector(text: string): number[] {
  const seed = [...text].reduce((s, c) => s + c.charCodeAt(0), 0);
  return [0.1, 0.2, 0.3, 0.4].map((v, i) => Number((v + ((seed * (i + 1)) % 97) / 1000).toFixed(6)));
}

export class FakeOpenAI {
  readonly requests: Recorded[] = [];
  override: Override | undefined;

  private constructor(private readonly server: RecordingServer) {}

  static async start(): Promise<FakeOpenAI> {
    let fake!: FakeOpenAI;
    const server = await startRecordingServer((request, res) => {
      let body: unknown = request.text;
      try {
        body = request.text ? JSON.parse(request.text) : undefined;
      } catch {
        // kept as text
      }
      const recorded: Recorded = { method: request.method, path: request.path, headers: request.headers, body };
      fake.requests.push(recorded);
      return fake.handle(recorded, res);
    });
    fake = new FakeOpenAI(server);
    return fake;
  }

  get url(): string {
    return this.server.url;
  }

  /** The OpenAI API base to configure (`openai_api_base`). */
  get apiBase(): string {
    return `${this.url}/v1`;
  }

  reset(): void {
    this.requests.length = 0;
    this.override = undefined;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private async handle(req: Recorded, res: ServerResponse): Promise<void> {
    if (this.override && (await this.override(req, res))) return;
    const body = (req.body ?? {}) as any;
    const model = String(body.model ?? '');
    if (req.path.endsWith('/chat/completions')) return this.chat(body, model, res);
    if (req.path.endsWith('/completions')) {
      const prompt = Array.isArray(body.prompt) ? body.prompt.join(' ') : String(body.prompt ?? '');
      return sendJson(res, 200, {
        id: 'cmpl-fake123',
        object: 'text_completion',
        created: CREATED,
        model,
        system_fingerprint: 'fp_fake',
        choices: [{ text: `Fake completion of: ${prompt}`, index: 0, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
      });
    }
    if (req.path.endsWith('/embeddings')) {
      const inputs: string[] = Array.isArray(body.input) ? body.input.map(String) : [String(body.input)];
      return sendJson(res, 200, {
        object: 'list',
        data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text) })),
        model,
        usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      });
    }
    if (req.path.endsWith('/messages')) {
      return sendJson(res, 200, {
        id: 'msg_fake123',
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text: `Fake Anthropic answer to: ${lastUserText(body)}` }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 9, output_tokens: 5 },
      });
    }
    sendJson(res, 404, openAIError(`Invalid URL (${req.method} ${req.path})`, 'invalid_request_error', null));
  }

  private chat(body: any, model: string, res: ServerResponse): void {
    const text = `Fake OpenAI answer to: ${lastUserText(body)}`;
    if (!body.stream) return sendJson(res, 200, chatCompletion(model, text));
    const usage = body.stream_options?.include_usage === true;
    startSSE(res);
    sseData(res, chatChunk(model, { role: 'assistant', content: '', refusal: null }, null, usage));
    for (const piece of text.split(/(?<= )/)) sseData(res, chatChunk(model, { content: piece }, null, usage));
    sseData(res, chatChunk(model, {}, 'stop', usage));
    if (usage) {
      sseData(res, { ...chatChunk(model, {}, null, false), choices: [], usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 } });
    }
    sseData(res, '[DONE]');
    res.end();
  }
}
