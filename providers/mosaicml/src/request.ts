// OpenAI-format requests → MosaicML inference API bodies ({"inputs": [...], "parameters": {...}}).
// Standard parameters go through the translation table (params.ts); this file writes `inputs`:
// the chat prompt (one string built with the Llama-2 chat template, exactly as MLflow's MosaicML
// provider built it), the completion prompts, n (each prompt repeated n times) and the texts to
// embed.
// References: https://docs.mosaicml.com/en/latest/inference.html (Starter tier: text completion
// and text embedding models), https://huggingface.co/blog/llama2#how-to-prompt-llama-2 (template).
import {
  createError,
  translateParams,
  type ChatMessage,
  type ChatRequest,
  type CompletionsRequest,
  type EmbeddingsRequest,
  type GatewayError,
} from '@gatehousejs/core';
import { PARAM_MAPS, stopList } from './params.js';

export interface PredictBody {
  inputs: string[];
  parameters: Record<string, unknown>;
}

export interface Prepared {
  readonly body: PredictBody;
  /** The distinct prompts (before the n repetition), for the usage estimate. */
  readonly prompts: readonly string[];
  readonly n: number;
  /** Stop sequences to cut the outputs at. */
  readonly stop: readonly string[];
}

function badRequest(param: string, message: string, providerName: string): GatewayError {
  return createError('GW_ERR_BAD_REQUEST', `${param}: ${message} (provider ${providerName}).`, { param });
}

function textOf(content: ChatMessage['content'], at: string, providerName: string): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (!Array.isArray(content)) throw badRequest(`${at}.content`, 'must be a string or an array of content parts', providerName);
  return content
    .map((part, j) => {
      if (part?.type === 'text' && typeof part.text === 'string') return part.text;
      throw badRequest(`${at}.content[${j}].type`, `MosaicML accepts text only (got a ${JSON.stringify(part?.type)} part)`, providerName);
    })
    .join('\n');
}

const INST_CLOSE = ' [/INST]';
const TURN_END = ' </s><s>';

/**
 * The Llama-2 chat template, exactly as MLflow's MosaicML provider wrote it
 * (https://huggingface.co/blog/llama2#how-to-prompt-llama-2):
 *
 *   <s>[INST] <<SYS>> {system} <</SYS>> {user_1} [/INST] {assistant_1} </s><s>[INST] {user_2} [/INST]
 *
 * - the prompt opens with `<s>`;
 * - a system (or developer) message becomes `<<SYS>> {text} <</SYS>>`; a system or user message
 *   is closed by ` [/INST]`; when the previous message was also system or user, its closing
 *   `[/INST]` is taken off so both share one `[INST] … [/INST]` block, otherwise the block opens
 *   with `[INST] `;
 * - an assistant message appends ` {text} </s><s>`;
 * - a trailing `</s><s>` is removed, so a conversation ending with an assistant message asks
 *   the model to continue that message.
 */
export function llama2Prompt(messages: readonly ChatMessage[], providerName: string): string {
  if (!Array.isArray(messages)) throw badRequest('messages', 'must be an array', providerName);
  if (messages.length === 0) throw badRequest('messages', 'must not be empty', providerName);
  let prompt = '<s>';
  messages.forEach((message, i) => {
    const at = `messages[${i}]`;
    switch (message?.role) {
      case 'system':
      case 'developer':
      case 'user': {
        const text = textOf(message.content, at, providerName);
        let inst = (message.role === 'user' ? text : `<<SYS>> ${text} <</SYS>>`) + INST_CLOSE;
        // '[/INST]' without its leading space: the space before it stays, separating the texts.
        if (prompt.endsWith('[/INST]')) prompt = prompt.slice(0, -'[/INST]'.length);
        else inst = `[INST] ${inst}`;
        prompt += inst;
        return;
      }
      case 'assistant':
        if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
          throw badRequest(`${at}.tool_calls`, 'MosaicML text models have no function calling', providerName);
        }
        prompt += ` ${textOf(message.content, at, providerName)}${TURN_END}`;
        return;
      default:
        throw badRequest(`${at}.role`, `role ${JSON.stringify(message?.role)} is not supported by MosaicML (use system, developer, user or assistant)`, providerName);
    }
  });
  const closing = TURN_END.trimStart();
  return prompt.endsWith(closing) ? prompt.slice(0, -closing.length) : prompt;
}

function countOf(n: unknown, providerName: string): number {
  if (n === undefined || n === null) return 1;
  if (!Number.isInteger(n) || (n as number) < 1) throw badRequest('n', 'must be a positive integer', providerName);
  return n as number;
}

/** Each prompt n times in a row: OpenAI's choice order (all choices of prompt 0, then prompt 1, ...). */
function repeated(prompts: readonly string[], n: number): string[] {
  return prompts.flatMap((prompt) => Array.from({ length: n }, () => prompt));
}

function prepare(prompts: string[], request: ChatRequest | CompletionsRequest, parameters: Record<string, unknown>, providerName: string): Prepared {
  const n = countOf(request.n, providerName);
  const stop = request.stop === undefined || request.stop === null ? [] : stopList(request.stop);
  return { body: { inputs: repeated(prompts, n), parameters }, prompts, n, stop };
}

export function buildChatBody(request: ChatRequest, providerName: string): Prepared {
  const parameters = translateParams(PARAM_MAPS.chat, request, providerName);
  return prepare([llama2Prompt(request.messages, providerName)], request, parameters, providerName);
}

/** The prompts of a completions request: a string or a list of strings (a batch, MosaicML's `inputs`). */
export function promptList(prompt: unknown, providerName: string): string[] {
  if (typeof prompt === 'string') return [prompt];
  if (Array.isArray(prompt) && prompt.length > 0 && prompt.every((p) => typeof p === 'string')) return prompt as string[];
  throw badRequest('prompt', 'must be a string or a non-empty list of strings (token arrays are not supported by MosaicML)', providerName);
}

export function buildCompletionsBody(request: CompletionsRequest, providerName: string): Prepared {
  const parameters = translateParams(PARAM_MAPS.completions, request, providerName);
  return prepare(promptList(request.prompt, providerName), request, parameters, providerName);
}

/** The embeddings body: {"inputs": [texts]} plus any extra parameters, as MLflow sent it. */
export function buildEmbeddingsBody(request: EmbeddingsRequest, providerName: string): { body: Record<string, unknown>; texts: string[] } {
  const params = translateParams(PARAM_MAPS.embeddings, request, providerName);
  const input = request.input;
  const texts: unknown[] = Array.isArray(input) ? input : [input];
  if (texts.length === 0) throw badRequest('input', 'must not be empty', providerName);
  texts.forEach((text, i) => {
    if (typeof text !== 'string') {
      throw badRequest(Array.isArray(input) ? `input[${i}]` : 'input', 'must be a string (token arrays are not supported by MosaicML)', providerName);
    }
  });
  return { body: { ...params, inputs: texts }, texts: texts as string[] };
}
