// Request bodies of the management API. Entries are checked here for shape only; the gateway's
// own config schema (with every plugin's extensions) checks the rest when they are applied.
import type { JSONSchema } from '@gatehousejs/core';

export const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$';
const name: JSONSchema = { type: 'string', pattern: NAME_PATTERN };
// Endpoint and route names follow the config file's rule (no ':'), so that a name the API takes
// is one the gateway can serve.
export const ENTRY_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$';
const entryName: JSONSchema = { type: 'string', pattern: ENTRY_NAME_PATTERN };

export const endpointBodySchema: JSONSchema = {
  type: 'object',
  required: ['name', 'endpoint_type', 'model'],
  properties: {
    name: entryName,
    endpoint_type: { type: 'string' },
    model: {
      type: 'object',
      required: ['provider'],
      properties: { provider: { type: 'string', minLength: 1 }, name: { type: 'string' }, config: { type: 'object' } },
    },
  },
};

export const routeBodySchema: JSONSchema = {
  type: 'object',
  required: ['name', 'task_type', 'destinations'],
  properties: {
    name: entryName,
    task_type: { type: 'string' },
    destinations: { type: 'array', minItems: 1, items: { type: 'object', required: ['name', 'traffic_percentage'], properties: { name: { type: 'string' }, traffic_percentage: { type: 'number' } } } },
  },
};

export const secretCreateSchema: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'value'],
  properties: { name, value: { type: 'string', minLength: 1, maxLength: 16384 } },
};

export const secretRotateSchema: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['value'],
  properties: { value: { type: 'string', minLength: 1, maxLength: 16384 } },
};

export const managementConfigSchema: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    master_key_file: { type: 'string', minLength: 1 },
    refresh_seconds: { type: 'number', exclusiveMinimum: 0 },
  },
};
