// The plain chat template for servers without the Messages API (`hf_chat_api: generate`).
// One line per message, a role label and the text, then an open assistant turn:
//
//   System: You are terse.
//   User: Hello!
//   Assistant: Hi.
//   User: Say hello.
//   Assistant:
//
// A model answers after "Assistant:"; "\nUser:" is added to the stop sequences so it does not
// write the user's next turn. The template is deliberately simple: a model with its own chat
// format is best served through the Messages API, which applies the model's template.
import { createError, type ChatMessage, type ContentPart } from '@gatehousejs/core';

/** Stop sequence added to chat over /generate (when the request leaves room: TGI allows 4 by default). */
export const TURN_STOP = '\nUser:';
export const MAX_STOP_SEQUENCES = 4;

const LABELS: Readonly<Record<string, string>> = Object.freeze({
  system: 'System',
  developer: 'System',
  user: 'User',
  assistant: 'Assistant',
});

function refuse(message: string, providerName: string): Error {
  return createError('GW_ERR_BAD_REQUEST', `${message} (provider ${providerName}, hf_chat_api: generate).`, { param: 'messages' });
}

function textOf(content: ChatMessage['content'], providerName: string): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part: ContentPart) => {
      if (part.type === 'text' && typeof part.text === 'string') return part.text;
      throw refuse(`a "${part.type}" content part cannot go through the plain text template; use hf_chat_api: messages`, providerName);
    })
    .join('\n');
}

/** The prompt for a conversation. Throws a 400 for what a text template cannot carry. */
export function renderChat(messages: readonly ChatMessage[], providerName: string): string {
  const lines: string[] = [];
  for (const message of messages) {
    const label = LABELS[message.role];
    if (label === undefined || (message.tool_calls?.length ?? 0) > 0) {
      throw refuse('tool calls and tool results need the Messages API; set hf_chat_api: messages', providerName);
    }
    lines.push(`${label}: ${textOf(message.content, providerName)}`);
  }
  lines.push('Assistant:');
  return lines.join('\n');
}

/** The request's stop sequences plus the end-of-turn stop, when the server's limit leaves room. */
export function chatStops(stops: readonly string[]): string[] {
  if (stops.includes(TURN_STOP) || stops.length >= MAX_STOP_SEQUENCES) return [...stops];
  return [...stops, TURN_STOP];
}
