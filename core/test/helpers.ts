// Test doubles for core's own tests: core never imports a provider package, so these
// inline providers stand in for one.
import { setTimeout as sleep } from 'node:timers/promises';
import { defineProvider } from '../src/define.js';
import { createError } from '../src/errors.js';
import type { ChatChunk, ChatRequest, ChatResponse, EmbeddingsResponse } from '../src/api/openai-types.js';
import type { CallContext, ProviderDefinition } from '../src/api/provider.js';
import { startTestGateway, type TestGateway } from '../src/testing/test-gateway.js';
import type { GatewayOptions } from '../src/gateway.js';

/** Request extras the scripted provider obeys: fail, delay, stream a number of chunks. */
export interface Script {
  status?: number;
  delay_ms?: number;
  chunks?: number;
  chunk_delay_ms?: number;
  fail_after?: number;
  throw?: string;
  /** Send the usage on the finishing choice chunk, as some servers do, not on a chunk of its own. */
  usage_on_finish?: boolean;
}

export const calls: { request: Record<string, unknown>; aborted: () => boolean }[] = [];

function scriptOf(request: ChatRequest): Script {
  return (request.script as Script | undefined) ?? {};
}

async function prelude(script: Script, call: CallContext): Promise<void> {
  if (script.delay_ms) await sleep(script.delay_ms, undefined, { signal: call.signal });
  if (script.throw) throw new Error(script.throw);
  if (script.status) {
    if (script.status >= 500) throw createError('GW_ERR_UPSTREAM_ERROR', `scripted upstream failed (${script.status})`);
    throw createError('GW_ERR_UPSTREAM_ERROR', `scripted upstream rejected (${script.status}) with key sk-test-secret-value-123`, { status: script.status });
  }
}

export const scripted: ProviderDefinition = defineProvider({
  id: 'scripted',
  aliases: ['scripted-alias'],
  apiVersion: 1,
  secretOptions: ['api_key'],
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { api_key: { type: 'string' }, text: { type: 'string' } },
  },
  create(options, services) {
    const text = (options.text as string | undefined) ?? 'scripted answer';
    return {
      async chat(request: ChatRequest, call: CallContext): Promise<ChatResponse> {
        calls.push({ request: request as Record<string, unknown>, aborted: () => call.signal.aborted });
        await prelude(scriptOf(request), call);
        return {
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1,
          model: services.model,
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
        };
      },
      async *chatStream(request: ChatRequest, call: CallContext): AsyncGenerator<ChatChunk> {
        const record = { request: request as Record<string, unknown>, aborted: () => call.signal.aborted };
        calls.push(record);
        const script = scriptOf(request);
        await prelude(script, call);
        const base = { id: 'chatcmpl-s', object: 'chat.completion.chunk' as const, created: 1, model: services.model };
        const n = script.chunks ?? 3;
        for (let i = 0; i < n; i++) {
          if (script.fail_after !== undefined && i >= script.fail_after) throw createError('GW_ERR_UPSTREAM_ERROR', 'scripted stream broke');
          if (i > 0 && script.chunk_delay_ms) await sleep(script.chunk_delay_ms, undefined, { signal: call.signal });
          yield { ...base, choices: [{ index: 0, delta: { content: `c${i} ` }, finish_reason: null }] };
        }
        const usage = { prompt_tokens: 3, completion_tokens: n, total_tokens: 3 + n };
        if (script.usage_on_finish) {
          yield { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage };
          return;
        }
        yield { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
        if (request.stream_options?.include_usage) {
          yield { ...base, choices: [], usage: { prompt_tokens: 3, completion_tokens: n, total_tokens: 3 + n } };
        }
      },
      async embeddings(request): Promise<EmbeddingsResponse> {
        const inputs = Array.isArray(request.input) ? request.input : [request.input];
        return {
          object: 'list',
          model: services.model,
          data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: [0.5, -0.25, index] })),
          usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
        };
      },
    };
  },
});

export const baseConfig = {
  endpoints: [
    { name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'scripted', name: 'model-a', config: { api_key: 'sk-test-secret-value-123' } } },
    { name: 'embed', endpoint_type: 'llm/v1/embeddings', model: { provider: 'scripted', name: 'embed-a' } },
    { name: 'complete', endpoint_type: 'llm/v1/completions', model: { provider: 'scripted', name: 'model-c' } },
  ],
};

export function startCore(options: GatewayOptions = {}): Promise<TestGateway> {
  return startTestGateway({ config: baseConfig, providers: [scripted], discover: false, ...options });
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
