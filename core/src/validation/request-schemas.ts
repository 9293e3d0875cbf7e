// Standard request schemas (OpenAI's ranges on every route). Extra parameters pass through
// to the provider, as MLflow allows; core adds no defaults.
import type { JSONSchema } from '../api/json-schema.js';

const stop = {
  anyOf: [
    { type: 'string' },
    { type: 'array', items: { type: 'string' }, maxItems: 16 },
    { type: 'null' },
  ],
};

const generation = {
  model: { type: 'string' },
  temperature: { type: ['number', 'null'], minimum: 0, maximum: 2 },
  top_p: { type: ['number', 'null'], minimum: 0, maximum: 1 },
  n: { type: ['integer', 'null'], minimum: 1, maximum: 128 },
  max_tokens: { type: ['integer', 'null'], minimum: 1 },
  stop,
  stream: { type: ['boolean', 'null'] },
  stream_options: {
    type: ['object', 'null'],
    properties: { include_usage: { type: 'boolean' } },
  },
  presence_penalty: { type: ['number', 'null'], minimum: -2, maximum: 2 },
  frequency_penalty: { type: ['number', 'null'], minimum: -2, maximum: 2 },
  logit_bias: { type: ['object', 'null'], additionalProperties: { type: 'number', minimum: -100, maximum: 100 } },
  seed: { type: ['integer', 'null'] },
  user: { type: 'string' },
};

const contentPart = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { type: 'string' },
    text: { type: 'string' },
  },
};

const toolCall = {
  type: 'object',
  required: ['id', 'type', 'function'],
  properties: {
    id: { type: 'string' },
    type: { const: 'function' },
    function: {
      type: 'object',
      required: ['name', 'arguments'],
      properties: { name: { type: 'string' }, arguments: { type: 'string' } },
    },
  },
};

const message = {
  type: 'object',
  required: ['role'],
  properties: {
    role: { enum: ['system', 'developer', 'user', 'assistant', 'tool', 'function'] },
    content: { anyOf: [{ type: 'string' }, { type: 'array', items: contentPart }, { type: 'null' }] },
    name: { type: 'string' },
    tool_calls: { type: 'array', items: toolCall },
    tool_call_id: { type: 'string' },
  },
  // Content may only be absent or null on an assistant message that calls tools.
  if: { properties: { role: { const: 'assistant' } } },
  then: {},
  else: { required: ['role', 'content'], properties: { content: { anyOf: [{ type: 'string' }, { type: 'array', items: contentPart }] } } },
};

const tool = {
  type: 'object',
  required: ['type', 'function'],
  properties: {
    type: { const: 'function' },
    function: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,64}$' },
        description: { type: 'string' },
        parameters: { type: 'object' },
        strict: { type: ['boolean', 'null'] },
      },
    },
  },
};

export const chatRequestSchema: JSONSchema = {
  type: 'object',
  required: ['messages'],
  properties: {
    ...generation,
    messages: { type: 'array', minItems: 1, items: message },
    max_completion_tokens: { type: ['integer', 'null'], minimum: 1 },
    tools: { type: 'array', items: tool },
    tool_choice: {
      anyOf: [
        { enum: ['none', 'auto', 'required'] },
        {
          type: 'object',
          required: ['type', 'function'],
          properties: { type: { const: 'function' }, function: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
        },
      ],
    },
    parallel_tool_calls: { type: 'boolean' },
    response_format: {
      type: 'object',
      required: ['type'],
      properties: { type: { enum: ['text', 'json_object', 'json_schema'] }, json_schema: { type: 'object' } },
    },
  },
};

export const completionsRequestSchema: JSONSchema = {
  type: 'object',
  required: ['prompt'],
  properties: {
    ...generation,
    prompt: { anyOf: [{ type: 'string' }, { type: 'array', minItems: 1, items: { type: 'string' } }] },
    echo: { type: 'boolean' },
    suffix: { type: ['string', 'null'] },
    best_of: { type: ['integer', 'null'], minimum: 1 },
    logprobs: { type: ['integer', 'null'], minimum: 0, maximum: 5 },
  },
};

export const embeddingsRequestSchema: JSONSchema = {
  type: 'object',
  required: ['input'],
  properties: {
    model: { type: 'string' },
    input: {
      anyOf: [
        { type: 'string' },
        { type: 'array', minItems: 1, maxItems: 2048, items: { type: 'string' } },
        { type: 'array', minItems: 1, items: { type: 'integer' } },
        { type: 'array', minItems: 1, items: { type: 'array', minItems: 1, items: { type: 'integer' } } },
      ],
    },
    encoding_format: { enum: ['float', 'base64'] },
    dimensions: { type: 'integer', minimum: 1 },
    user: { type: 'string' },
  },
};
