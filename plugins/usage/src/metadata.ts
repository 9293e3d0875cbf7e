// Client-supplied metadata for a usage record: `x-gatehouse-metadata: {"user":"...","tags":["..."]}`.
// It is the caller's word, recorded for reporting only: bounded, validated, redacted, and never
// used to decide anything. An invalid header is ignored (the request itself is not affected).
import { ajv } from './validation.js';

export const METADATA_HEADER = 'x-gatehouse-metadata';
export const MAX_METADATA_BYTES = 2048;

export interface ClientMetadata {
  readonly user?: string;
  readonly tags?: readonly string[];
}

// Printable text only: no control characters that could garble a terminal table or a log.
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]+$';

const validate = ajv.compile<ClientMetadata>({
  type: 'object',
  additionalProperties: false,
  properties: {
    user: { type: 'string', minLength: 1, maxLength: 256, pattern: PRINTABLE },
    tags: {
      type: 'array',
      maxItems: 16,
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 64, pattern: PRINTABLE },
    },
  },
});

export type MetadataResult = { readonly ok: true; readonly value: ClientMetadata } | { readonly ok: false };

export function parseMetadata(header: string | string[] | undefined): MetadataResult | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || header.length > MAX_METADATA_BYTES) return { ok: false };
  let value: unknown;
  try {
    value = JSON.parse(header);
  } catch {
    return { ok: false };
  }
  return validate(value) ? { ok: true, value } : { ok: false };
}

/** OpenAI's own `user` request field, used when the header names no user. */
export function bodyUser(request: unknown): string | undefined {
  const user = (request as { user?: unknown } | null)?.user;
  return typeof user === 'string' && user.length > 0 && user.length <= 256 && !/[\u0000-\u001f\u007f]/.test(user) ? user : undefined;
}
