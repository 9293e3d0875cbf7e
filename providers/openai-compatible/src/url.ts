// URL building for create(): each operation's URL is computed once per endpoint.
import { createError } from '@gatehousejs/core';
import { OPENAI_PATHS, type OpenAICompatibleSettings, type Operation } from './settings.js';

/** Join URL parts with single slashes ('https://h/v1/' + '/chat/completions'). */
export function joinUrl(base: string, ...segments: string[]): string {
  let url = base.replace(/\/+$/, '');
  for (const segment of segments) url += '/' + segment.replace(/^\/+|\/+$/g, '');
  return url;
}

/** Add query parameters, keeping any the URL already has. */
export function withQuery(url: string, query: Readonly<Record<string, string>> | undefined): string {
  if (!query || Object.keys(query).length === 0) return url;
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(query)) parsed.searchParams.set(key, value);
  return parsed.toString();
}

/**
 * Check a configured base URL. The message names the option, never the value: a URL can
 * carry credentials (https://user:pass@host) or internal host names.
 */
export function checkHttpUrl(value: string, option: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw createError('GW_ERR_CONFIG_INVALID', `${option} must be an absolute http(s) URL.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw createError('GW_ERR_CONFIG_INVALID', `${option} must be an http(s) URL (got a ${parsed.protocol} URL).`);
  }
  return value;
}

export function operationUrls(settings: OpenAICompatibleSettings): Readonly<Record<Operation, string>> {
  const urlOf = (op: Operation): string =>
    settings.url ? settings.url(op) : withQuery(joinUrl(settings.baseUrl, settings.paths?.[op] ?? OPENAI_PATHS[op]), settings.query);
  return Object.freeze({ chat: urlOf('chat'), completions: urlOf('completions'), embeddings: urlOf('embeddings') });
}
