import { randomBytes } from 'node:crypto';

/** An id in the style providers use ('chatcmpl-...'), random enough to be unique per request. */
export function generateId(prefix: string): string {
  return `${prefix}-${randomBytes(12).toString('base64url')}`;
}

/** Unix seconds, as OpenAI's `created`. */
export function unixSeconds(ms: number = Date.now()): number {
  return Math.floor(ms / 1000);
}
