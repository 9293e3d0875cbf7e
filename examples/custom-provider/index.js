// @ts-check
// gatehouse-provider-echo: a complete third-party Gatehouse provider in plain JavaScript (ESM,
// JSDoc types, no build step). It answers a chat with the last user message behind a
// configurable prefix, and streams the same answer word by word in OpenAI's chunk format.
import { defineProvider, generateId, unixSeconds } from '@gatehousejs/core';

/** @typedef {import('@gatehousejs/core').ChatRequest} ChatRequest */
/** @typedef {import('@gatehousejs/core').ChatResponse} ChatResponse */
/** @typedef {import('@gatehousejs/core').ChatChunk} ChatChunk */
/** @typedef {import('@gatehousejs/core').ChatMessage} ChatMessage */
/** @typedef {import('@gatehousejs/core').CallContext} CallContext */
/** @typedef {import('@gatehousejs/core').Usage} Usage */

/**
 * The endpoint's `model.config` in the gateway config file.
 * @typedef {object} EchoOptions
 * @property {string} [prefix] Put before the echoed text (default "echo: ").
 * @property {boolean} [uppercase] Echo in upper case.
 */

const DEFAULT_PREFIX = 'echo: ';

/**
 * Validated by the gateway with the rest of the config, so a typo in `model.config` stops
 * start-up with the file, the JSON pointer and what was expected.
 * @type {import('@gatehousejs/core').JSONSchema}
 */
const optionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    prefix: { type: 'string', maxLength: 200 },
    uppercase: { type: 'boolean' },
  },
};

/**
 * The text of a message: a string, or the text parts of a multi-part content.
 * @param {ChatMessage | undefined} message
 * @returns {string}
 */
function textOf(message) {
  if (!message) return '';
  if (typeof message.content === 'string') return message.content;
  if (Array.isArray(message.content)) return message.content.map((part) => part.text ?? '').join(' ');
  return '';
}

/** "Tokens" for usage are words here; a real provider reports what its API counted. */
const words = (/** @type {string} */ text) => text.split(/(?<=\s)/).filter((w) => w !== '');

/**
 * @param {number} prompt
 * @param {number} completion
 * @returns {Usage}
 */
const usageOf = (prompt, completion) => ({ prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion });

export default defineProvider(
  /** @type {import('@gatehousejs/core').ProviderDefinition<EchoOptions>} */ ({
    id: 'echo',
    apiVersion: 1,
    optionsSchema,
    create(options, services) {
      const prefix = options.prefix ?? DEFAULT_PREFIX;
      const model = services.model || 'echo';

      /** @param {ChatRequest} request */
      const answerFor = (request) => {
        const lastUser = [...request.messages].reverse().find((m) => m.role === 'user');
        const text = `${prefix}${textOf(lastUser)}`;
        const answer = options.uppercase ? text.toUpperCase() : text;
        const choices = Math.max(1, request.n ?? 1);
        const prompt = request.messages.reduce((sum, m) => sum + words(textOf(m)).length, 0);
        return { answer, choices, usage: usageOf(prompt, words(answer).length * choices) };
      };

      return {
        capabilities: { streaming: true, tools: false },

        /**
         * @param {ChatRequest} request
         * @param {CallContext} call
         * @returns {Promise<ChatResponse>}
         */
        async chat(request, call) {
          call.signal.throwIfAborted();
          const { answer, choices, usage } = answerFor(request);
          return {
            id: generateId('chatcmpl-echo'),
            object: 'chat.completion',
            created: unixSeconds(services.clock.now()),
            model,
            choices: Array.from({ length: choices }, (_, index) => ({
              index,
              message: { role: 'assistant', content: answer },
              finish_reason: 'stop',
            })),
            usage,
          };
        },

        /**
         * OpenAI's stream: a role chunk, one chunk per word, a finish chunk, then usage when
         * the request asked for it (the gateway always asks, and drops it if the client did not).
         * @param {ChatRequest} request
         * @param {CallContext} call
         * @returns {AsyncGenerator<ChatChunk>}
         */
        async *chatStream(request, call) {
          const { answer, choices, usage } = answerFor(request);
          const base = { id: generateId('chatcmpl-echo'), object: /** @type {const} */ ('chat.completion.chunk'), created: unixSeconds(services.clock.now()), model };
          const indexes = Array.from({ length: choices }, (_, index) => index);
          yield { ...base, choices: indexes.map((index) => ({ index, delta: { role: 'assistant', content: '' }, finish_reason: null })) };
          for (const index of indexes) {
            for (const word of words(answer)) {
              // The client went away or the call timed out: stop producing.
              if (call.signal.aborted) return;
              yield { ...base, choices: [{ index, delta: { content: word }, finish_reason: null }] };
            }
          }
          yield { ...base, choices: indexes.map((index) => ({ index, delta: {}, finish_reason: 'stop' })) };
          if (request.stream_options?.include_usage) {
            yield { ...base, choices: [], usage };
          }
        },
      };
    },
  }),
);
