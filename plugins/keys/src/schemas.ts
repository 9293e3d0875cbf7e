// JSON schemas of a key's fields, shared by the `keys:` config (validated by core with the rest
// of the file), the admin API's create body and the CLI's flags (both checked with ajv here).
import type { JSONSchema } from '@gatehousejs/core';
import { RENEWAL_PERIODS } from './key.js';

const count = { type: 'integer', minimum: 1, maximum: 1_000_000_000_000 };

export const fieldSchemas = {
  name: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._@:/-]*$' },
  owner: { type: 'string', minLength: 1, maxLength: 256 },
  // Endpoint or route names (core's name rule); an empty list would be a key that can call nothing.
  endpoints: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' } },
  limits: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      requests: {
        type: 'object',
        additionalProperties: false,
        required: ['calls', 'renewal_period'],
        properties: { calls: count, renewal_period: { enum: [...RENEWAL_PERIODS] } },
      },
      tokens: {
        type: 'object',
        additionalProperties: false,
        required: ['tokens', 'renewal_period'],
        properties: { tokens: count, renewal_period: { enum: [...RENEWAL_PERIODS] } },
      },
    },
  },
} satisfies Record<string, JSONSchema>;

/** `keys.keys[]` in the config file. The key's text is checked once resolved (it may be `$VAR`). */
const configKeySchema: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'key'],
  properties: {
    ...fieldSchemas,
    key: { type: 'string', minLength: 1 },
    expires_at: { type: 'string', minLength: 1 },
  },
};

/** The top-level `keys:` config key. */
export const keysConfigSchema: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    admin_key: { type: 'string', minLength: 1 },
    required: { type: 'boolean' },
    refresh_seconds: { type: 'number', minimum: 0.05, maximum: 3600 },
    keys: { type: 'array', items: configKeySchema },
  },
};

/** POST /api/keys and `gatehouse keys create`: a field left out means none (no owner, every endpoint, no limits, no expiry). */
export const createBodySchema: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { ...fieldSchemas, expires_at: { type: 'string', minLength: 1 } },
};
