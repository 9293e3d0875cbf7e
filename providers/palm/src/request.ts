// OpenAI-format requests → PaLM API v1beta2 bodies. Standard parameters go through the
// translation tables (params.ts); this file writes what a table cannot: the MessagePrompt of
// generateMessage, the TextPrompt of generateText and the text of embedText.
// References: https://developers.generativeai.google/api/rest/generativelanguage/models/generateMessage
// https://developers.generativeai.google/api/rest/generativelanguage/models/generateText
// https://developers.generativeai.google/api/rest/generativelanguage/models/embedText
// (proto: google/ai/generativelanguage/v1beta2/discuss_service.proto, text_service.proto)
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

/** PaLM's default authors: the first speaker is "0", the model "1" (as its answers show). */
export const USER_AUTHOR = '0';
export const MODEL_AUTHOR = '1';

export interface PalmMessage {
  author: string;
  content: string;
}

export interface PalmMessagePrompt {
  context?: string;
  examples?: unknown[];
  messages: PalmMessage[];
}

export interface ChatBody {
  prompt: PalmMessagePrompt;
  [key: string]: unknown;
}

export interface TextBody {
  prompt: { text: string };
  [key: string]: unknown;
}

function badRequest(param: string, message: string, providerName: string): GatewayError {
  return createError('GW_ERR_BAD_REQUEST', `${param}: ${message} (provider ${providerName}).`, { param });
}

/** The text of a message: a string, or its text parts joined by newlines. PaLM takes text only. */
function textOf(content: ChatMessage['content'], at: string, providerName: string): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (!Array.isArray(content)) throw badRequest(`${at}.content`, 'must be a string or an array of content parts', providerName);
  return content
    .map((part, j) => {
      if (part?.type === 'text' && typeof part.text === 'string') return part.text;
      throw badRequest(`${at}.content[${j}].type`, `PaLM accepts text only (got a ${JSON.stringify(part?.type)} part)`, providerName);
    })
    .join('\n');
}

/**
 * System and developer messages (anywhere) become `prompt.context`, after a `context` the
 * request may carry (PaLM's own field, as MLflow allowed); user turns get author "0" and
 * assistant turns author "1". Consecutive turns of one author are merged (joined by a blank
 * line), as PaLM's turns alternate between two authors.
 */
export function buildMessagePrompt(request: ChatRequest, providerName: string): PalmMessagePrompt {
  const { messages } = request;
  if (!Array.isArray(messages)) throw badRequest('messages', 'must be an array', providerName);
  const context: string[] = [];
  if (request.context !== undefined && request.context !== null) {
    if (typeof request.context !== 'string') throw badRequest('context', 'must be a string', providerName);
    if (request.context !== '') context.push(request.context);
  }
  const turns: PalmMessage[] = [];
  messages.forEach((message, i) => {
    const at = `messages[${i}]`;
    let author: string;
    switch (message?.role) {
      case 'system':
      case 'developer': {
        const text = textOf(message.content, at, providerName);
        if (text !== '') context.push(text);
        return;
      }
      case 'user':
        author = USER_AUTHOR;
        break;
      case 'assistant':
        if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
          throw badRequest(`${at}.tool_calls`, 'PaLM has no function calling', providerName);
        }
        author = MODEL_AUTHOR;
        break;
      default:
        throw badRequest(`${at}.role`, `role ${JSON.stringify(message?.role)} is not supported by PaLM (use system, developer, user or assistant)`, providerName);
    }
    const content = textOf(message.content, at, providerName);
    const last = turns[turns.length - 1];
    if (last && last.author === author) last.content = `${last.content}\n\n${content}`;
    else turns.push({ author, content });
  });
  if (turns.length === 0) throw badRequest('messages', 'PaLM needs at least one user or assistant message', providerName);
  const prompt: PalmMessagePrompt = { messages: turns };
  if (context.length > 0) prompt.context = context.join('\n\n');
  if (request.examples !== undefined && request.examples !== null) {
    if (!Array.isArray(request.examples)) throw badRequest('examples', 'must be an array of {input, output} examples', providerName);
    if (request.examples.length > 0) prompt.examples = request.examples;
  }
  return prompt;
}

/** The generateMessage body: the MessagePrompt plus the translated parameters. */
export function buildChatBody(request: ChatRequest, providerName: string): ChatBody {
  const params = translateParams(PARAM_MAPS.chat, request, providerName);
  // Set onto the fresh object, not spread into another (a hidden class per body otherwise).
  return Object.assign(params, { prompt: buildMessagePrompt(request, providerName) }) as ChatBody;
}

/** PaLM's generateText takes one prompt: a string, or a list holding one string. */
export function promptText(prompt: unknown, providerName: string): string {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') return prompt[0];
  if (Array.isArray(prompt) && prompt.length !== 1 && prompt.every((p) => typeof p === 'string')) {
    throw badRequest('prompt', `PaLM answers one prompt per request; got ${prompt.length} prompts`, providerName);
  }
  throw badRequest('prompt', 'must be a string (token arrays are not supported by PaLM)', providerName);
}

export function buildTextBody(request: CompletionsRequest, providerName: string): TextBody {
  const params = translateParams(PARAM_MAPS.completions, request, providerName);
  return { ...params, prompt: { text: promptText(request.prompt, providerName) } };
}

/** The texts to embed, one embedText call each. */
export function embeddingInputs(input: EmbeddingsRequest['input'], providerName: string): string[] {
  const list: unknown[] = Array.isArray(input) ? input : [input];
  if (list.length === 0) throw badRequest('input', 'must not be empty', providerName);
  list.forEach((item, i) => {
    if (typeof item !== 'string') {
      throw badRequest(Array.isArray(input) ? `input[${i}]` : 'input', 'must be a string (token arrays are not supported by PaLM)', providerName);
    }
  });
  return list as string[];
}

/** The parameters sent with every embedText call besides `text`. */
export function embeddingParams(request: EmbeddingsRequest, providerName: string): Record<string, unknown> {
  return translateParams(PARAM_MAPS.embeddings, request, providerName);
}
