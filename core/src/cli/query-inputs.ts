// What `gatehouse query` sends: the body for the endpoint's type, from the prompt and flags.
import type { ChatMessage, EndpointType } from '../api/openai-types.js';
import type { PredictInputs } from '../client/index.js';
import { intFlag, numberFlag, stringFlag, type ParsedArgs } from './args.js';

export const QUERY_TYPES: Readonly<Record<string, EndpointType>> = Object.freeze({
  chat: 'llm/v1/chat',
  completions: 'llm/v1/completions',
  embeddings: 'llm/v1/embeddings',
});

function messagesFlag(args: ParsedArgs): ChatMessage[] {
  const text = stringFlag(args, 'messages');
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('--messages must be JSON: an array of {"role", "content"} messages.');
  }
  if (!Array.isArray(parsed)) throw new Error('--messages must be a JSON array of {"role", "content"} messages.');
  return parsed as ChatMessage[];
}

/** The request body; the gateway validates it and names any field it refuses. */
export function queryInputs(type: EndpointType, prompt: string | undefined, args: ParsedArgs): PredictInputs {
  const params = {
    ...(args.flags.has('max-tokens') ? { max_tokens: intFlag(args, 'max-tokens', 1, 10_000_000) } : {}),
    ...(args.flags.has('temperature') ? { temperature: numberFlag(args, 'temperature') } : {}),
  };
  if (type === 'llm/v1/chat') {
    const system = stringFlag(args, 'system');
    const messages: ChatMessage[] = [
      ...(system === undefined ? [] : [{ role: 'system' as const, content: system }]),
      ...messagesFlag(args),
      ...(prompt === undefined ? [] : [{ role: 'user' as const, content: prompt }]),
    ];
    if (messages.length === 0) throw new Error('No prompt: give it as arguments, with --messages or on stdin.');
    return { messages, ...params };
  }
  for (const chatOnly of ['system', 'messages']) {
    if (args.flags.has(chatOnly)) throw new Error(`--${chatOnly} applies to chat endpoints only.`);
  }
  if (prompt === undefined) throw new Error('No prompt: give it as arguments or on stdin.');
  return type === 'llm/v1/completions' ? { prompt, ...params } : { input: prompt };
}
