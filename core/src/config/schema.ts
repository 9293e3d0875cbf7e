// The config schema: MLflow's format plus Gatehouse's own keys, extended by plugins.
import { ENDPOINT_TYPES } from '../api/openai-types.js';
import type { JSONSchema } from '../api/json-schema.js';

/** MLflow's rule: letters, digits, hyphen and underscore (dots kept for versioned names). */
export const NAME_PATTERN = '^[A-Za-z0-9_.-]+$';

export const RENEWAL_PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;

const limitSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['renewal_period', 'calls'],
  properties: {
    renewal_period: { enum: [...RENEWAL_PERIODS] },
    calls: { type: 'integer', minimum: 1 },
    key: { type: 'string' },
  },
};

const modelSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['provider'],
  properties: {
    provider: { type: 'string', minLength: 1 },
    name: { type: 'string' },
    // Checked against the provider's own optionsSchema once the provider is known.
    config: { type: 'object' },
  },
};

const seconds = { type: 'number', exclusiveMinimum: 0 };
const fallbacksSchema = { type: 'array', items: { type: 'string', pattern: NAME_PATTERN }, uniqueItems: true };

const retrySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    attempts: { type: 'integer', minimum: 1, maximum: 10 },
    backoff_seconds: seconds,
    max_backoff_seconds: seconds,
    max_retry_after_seconds: { type: 'number', minimum: 0 },
  },
};

const timeoutsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { connect_seconds: seconds, first_byte_seconds: seconds, idle_seconds: seconds, total_seconds: seconds },
};

const breakerSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { failures: { type: 'integer', minimum: 1 }, cool_off_seconds: seconds },
};

function endpointSchema(extensions: Record<string, JSONSchema>, typeKey: 'endpoint_type' | 'route_type'): JSONSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['name', typeKey, 'model'],
    properties: {
      name: { type: 'string', pattern: NAME_PATTERN },
      [typeKey]: { enum: [...ENDPOINT_TYPES] },
      model: modelSchema,
      limit: limitSchema,
      fallbacks: fallbacksSchema,
      retry: retrySchema,
      timeouts: timeoutsSchema,
      circuit_breaker: breakerSchema,
      ...extensions,
    },
  };
}

const trafficRouteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'task_type', 'destinations'],
  properties: {
    name: { type: 'string', pattern: NAME_PATTERN },
    task_type: { enum: [...ENDPOINT_TYPES] },
    destinations: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'traffic_percentage'],
        properties: {
          name: { type: 'string', pattern: NAME_PATTERN },
          traffic_percentage: { type: 'integer', minimum: 0, maximum: 100 },
        },
      },
    },
    routing_strategy: { enum: ['TRAFFIC_SPLIT'] },
    fallbacks: fallbacksSchema,
  },
};

const pluginEntrySchema = {
  anyOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1 },
        options: { type: 'object' },
        enabled: { type: 'boolean' },
      },
    },
  ],
};

const serverSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 0, maximum: 65535 },
    body_limit: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^\\d+(\\.\\d+)?\\s*(b|kb|mb|gb)?$' }] },
    upstream_timeout_seconds: { type: 'number', exclusiveMinimum: 0 },
    shutdown_timeout_seconds: { type: 'number', minimum: 0 },
    upstream_connections: { type: 'integer', minimum: 1 },
    max_upstream_attempts: { type: 'integer', minimum: 1, maximum: 20 },
    cors: {
      type: 'object',
      additionalProperties: false,
      required: ['origins'],
      properties: {
        origins: { anyOf: [{ const: '*' }, { type: 'array', items: { type: 'string', minLength: 1 } }] },
        credentials: { type: 'boolean' },
        max_age_seconds: { type: 'integer', minimum: 0 },
      },
    },
  },
};

const loggingSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    level: { enum: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] },
    format: { enum: ['json', 'pretty'] },
  },
};

export interface SchemaExtensions {
  readonly topLevel: Record<string, JSONSchema>;
  readonly endpoint: Record<string, JSONSchema>;
}

/** The full schema for the given plugin extensions. Built and compiled once per gateway. */
export function buildConfigSchema(extensions: SchemaExtensions): JSONSchema {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      endpoints: { type: 'array', items: endpointSchema(extensions.endpoint, 'endpoint_type') },
      // MLflow's traffic-split routes, or (older files) routes that are endpoints.
      routes: {
        type: 'array',
        items: {
          if: { type: 'object', properties: { destinations: true }, required: ['destinations'] },
          then: trafficRouteSchema,
          else: endpointSchema(extensions.endpoint, 'route_type'),
        },
      },
      plugins: { type: 'array', items: pluginEntrySchema },
      server: serverSchema,
      logging: loggingSchema,
      ...extensions.topLevel,
    },
  };
}

/** Keys core owns at the top level: plugins may not claim them. */
export const CORE_TOP_LEVEL_KEYS: readonly string[] = ['endpoints', 'routes', 'plugins', 'server', 'logging'];
export const CORE_ENDPOINT_KEYS: readonly string[] = ['name', 'endpoint_type', 'route_type', 'model', 'limit', 'fallbacks', 'retry', 'timeouts', 'circuit_breaker'];
