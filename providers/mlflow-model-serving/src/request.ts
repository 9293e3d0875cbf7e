// OpenAI-format requests → MLflow scoring-server bodies for POST {model_server_url}/invocations,
// built as MLflow's own MlflowModelServingProvider built them
// (mlflow/gateway/providers/mlflow.py `_process_payload`): {"inputs": [...], "params": {...}},
// `params` left out when empty.
//
// - completions: {"inputs": [prompt, ...]} (a string prompt becomes a one-element list);
// - chat with one message: {"inputs": [content]}, exactly MLflow's payload;
// - chat with several messages (MLflow refused these with a 422: "MLflow chat models are only
//   capable of processing a single query at a time"): {"inputs": {"messages": [{role,
//   content}, ...]}}, the scoring protocol's named-input form, which a model whose signature
//   has a `messages` input receives as that input;
// - embeddings: {"inputs": [text, ...]}.
// Reference: https://mlflow.org/docs/latest/ml/deployment/deploy-model-locally (the
// /invocations input formats: dataframe_split, dataframe_records, instances, inputs; params).
import {
  createError,
  translateParams,
  type ChatMessage,
  type ChatRequest,
  type CompletionsRequest,
  type EmbeddingsRequest,
  type GatewayError,
} from '@gatehousejs/core';
import { PARAM_MAPS } from './params.js';

export interface InvocationsBody {
  inputs: string[] | { messages: Array<{ role: string; content: string }> };
  params?: Record<string, unknown>;
}

export interface Prepared {
  readonly body: InvocationsBody;
  /** The text the model reads, for the usage estimate. */
  readonly promptText: string;
}

function badRequest(param: string, message: string, providerName: string): GatewayError {
  return createError('GW_ERR_BAD_REQUEST', `${param}: ${message} (provider ${providerName}).`, { param });
}

function withParams(inputs: InvocationsBody['inputs'], params: Record<string, unknown>): InvocationsBody {
  return Object.keys(params).length > 0 ? { inputs, params } : { inputs };
}

function textOf(content: ChatMessage['content'], at: string, providerName: string): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (!Array.isArray(content)) throw badRequest(`${at}.content`, 'must be a string or an array of content parts', providerName);
  return content
    .map((part, j) => {
      if (part?.type === 'text' && typeof part.text === 'string') return part.text;
      throw badRequest(`${at}.content[${j}].type`, `the served model takes text only (got a ${JSON.stringify(part?.type)} part)`, providerName);
    })
    .join('\n');
}

const ROLES: ReadonlyMap<string, string> = new Map([
  ['system', 'system'],
  ['developer', 'system'],
  ['user', 'user'],
  ['assistant', 'assistant'],
]);

export function buildChatBody(request: ChatRequest, providerName: string): Prepared {
  const params = translateParams(PARAM_MAPS.chat, request, providerName);
  const { messages } = request;
  if (!Array.isArray(messages) || messages.length === 0) throw badRequest('messages', 'must be a non-empty array', providerName);
  const turns = messages.map((message, i) => {
    const at = `messages[${i}]`;
    const role = ROLES.get(message?.role);
    if (role === undefined) {
      throw badRequest(`${at}.role`, `role ${JSON.stringify(message?.role)} is not supported (use system, developer, user or assistant)`, providerName);
    }
    if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
      throw badRequest(`${at}.tool_calls`, 'a served MLflow model cannot call tools', providerName);
    }
    return { role, content: textOf(message.content, at, providerName) };
  });
  const promptText = turns.map((t) => t.content).join('\n');
  // One message: MLflow's own payload, the message's text as the only input.
  if (turns.length === 1) return { body: withParams([turns[0]!.content], params), promptText };
  return { body: withParams({ messages: turns }, params), promptText };
}

export function buildCompletionsBody(request: CompletionsRequest, providerName: string): Prepared {
  const params = translateParams(PARAM_MAPS.completions, request, providerName);
  const { prompt } = request;
  let prompts: string[];
  if (typeof prompt === 'string') prompts = [prompt];
  else if (Array.isArray(prompt) && prompt.length > 0 && prompt.every((p) => typeof p === 'string')) prompts = prompt as string[];
  else throw badRequest('prompt', 'must be a string or a non-empty list of strings (token arrays are not supported)', providerName);
  return { body: withParams(prompts, params), promptText: prompts.join('\n') };
}

export function buildEmbeddingsBody(request: EmbeddingsRequest, providerName: string): { body: InvocationsBody; texts: string[] } {
  const params = translateParams(PARAM_MAPS.embeddings, request, providerName);
  const input = request.input;
  const texts: unknown[] = Array.isArray(input) ? input : [input];
  if (texts.length === 0) throw badRequest('input', 'must not be empty', providerName);
  texts.forEach((text, i) => {
    if (typeof text !== 'string') throw badRequest(Array.isArray(input) ? `input[${i}]` : 'input', 'must be a string (token arrays are not supported)', providerName);
  });
  return { body: withParams(texts as string[], params), texts: texts as string[] };
}
