// Deterministic answers: the same request always gets the same text, so tests and load tests
// can assert on it. A "token" here is a word, for both limits and usage.
import type { ChatMessage, ChatRequest, FinishReason, ToolCall } from '@gatehousejs/core';

export interface Answer {
  readonly words: readonly string[];
  readonly finish: FinishReason;
}

export function messageText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  if (Array.isArray(message.content)) return message.content.map((p) => p.text ?? '').join(' ');
  return '';
}

export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

export function promptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + countWords(messageText(m)), 0);
}

export function defaultText(prompt: string): string {
  const shown = prompt.trim().replace(/\s+/g, ' ').slice(0, 200);
  return `This is a mock response from Gatehouse to: ${shown || '(empty prompt)'}`;
}

/** Apply stop sequences and max_tokens to a text, as a real model's limits would. */
export function shape(text: string, stop: string | string[] | null | undefined, maxTokens: number | null | undefined, choice: number): Answer {
  let body = choice === 0 ? text : `${text} (choice ${choice + 1})`;
  let finish: FinishReason = 'stop';
  for (const s of stop === undefined || stop === null ? [] : Array.isArray(stop) ? stop : [stop]) {
    const at = s === '' ? -1 : body.indexOf(s);
    if (at !== -1) body = body.slice(0, at);
  }
  let words = body.split(/(?<=\s)/).filter((w) => w !== '');
  if (maxTokens && words.length > maxTokens) {
    words = words.slice(0, maxTokens);
    finish = 'length';
  }
  return { words, finish };
}

/** A forced tool call (tool_choice "required" or a named function) gets a deterministic call. */
export function forcedToolCall(request: ChatRequest, requestId: string): ToolCall | undefined {
  const tools = request.tools ?? [];
  const choice = request.tool_choice;
  if (tools.length === 0 || choice === undefined || choice === 'none' || choice === 'auto') return undefined;
  const name = typeof choice === 'object' ? choice.function.name : tools[0]!.function.name;
  return { id: `call_${requestId.replace(/[^\w]/g, '').slice(0, 16)}`, type: 'function', function: { name, arguments: '{}' } };
}
