// What the native handlers read from OpenAI's streams as they pass: the usage, and (on chat) the
// usage chunk a client that did not ask for it must not see.
import type { SSEEvent, Usage } from '@gatehousejs/core';
import { payloadOf, type EventInspector } from './relay.js';
import { chatUsage, responsesUsage } from './usage.js';

// Cheap tests on the raw text, so that only the few events that matter are parsed.
const HAS_USAGE = /"usage"\s*:\s*\{/;
const FINAL_RESPONSE = /"type"\s*:\s*"response\.(?:completed|incomplete|failed)"/;

/**
 * Chat completions (https://platform.openai.com/docs/api-reference/chat-streaming): the gateway
 * always asks for `stream_options.include_usage`; the final usage chunk (`choices: []`) reaches the
 * client only if it asked too, because clients index `choices[0]` on every chunk.
 */
export function chatStreamInspector(clientWantsUsage: boolean, found: (usage: Usage) => void): EventInspector {
  return (event: SSEEvent) => {
    if (!HAS_USAGE.test(event.data)) return true;
    const chunk = payloadOf(event);
    const usage = chatUsage(chunk?.usage);
    if (usage) found(usage);
    return clientWantsUsage || !(Array.isArray(chunk?.choices) && chunk.choices.length === 0);
  };
}

/**
 * Responses API (https://platform.openai.com/docs/api-reference/responses-streaming): the usage is
 * on the final event's `response` (`response.completed`, `.incomplete` or `.failed`). Every event
 * reaches the client.
 */
export function responsesStreamInspector(found: (usage: Usage) => void): EventInspector {
  return (event: SSEEvent) => {
    if (FINAL_RESPONSE.test(event.data)) {
      const response = payloadOf(event)?.response as { usage?: unknown } | undefined;
      const usage = responsesUsage(response?.usage);
      if (usage) found(usage);
    }
    return true;
  };
}
