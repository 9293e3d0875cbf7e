// The OpenAPI document, built once from the same request schemas the gateway validates with.
import { chatRequestSchema, completionsRequestSchema, embeddingsRequestSchema } from '../validation/request-schemas.js';
import type { MountedNativeRoute } from '../native/routes.js';

const errorResponse = {
  description: "Error in OpenAI's shape",
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: { message: { type: 'string' }, type: { type: 'string' }, code: { type: 'string' }, param: { type: 'string', nullable: true } },
          },
        },
      },
    },
  },
};

function invoke(summary: string, schema: object, withModel: boolean) {
  const body = withModel ? { ...schema, required: [...((schema as { required?: string[] }).required ?? []), 'model'] } : schema;
  return {
    post: {
      summary,
      requestBody: { required: true, content: { 'application/json': { schema: toOpenApi(body) } } },
      responses: {
        '200': { description: 'The answer (JSON), or a text/event-stream when `stream` is true' },
        '400': errorResponse,
        '404': errorResponse,
        '413': errorResponse,
        '429': errorResponse,
        '501': errorResponse,
        '502': errorResponse,
        '504': errorResponse,
      },
    },
  };
}

/** OpenAPI 3.0 has no `const` or type arrays: rewrite those parts of our JSON schemas. */
function toOpenApi(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toOpenApi);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'if' || key === 'then' || key === 'else') continue;
    if (key === 'const') out.enum = [value];
    else if (key === 'type' && Array.isArray(value)) {
      const types = value.filter((t) => t !== 'null');
      out.type = types[0];
      if (types.length < value.length) out.nullable = true;
    } else out[key] = toOpenApi(value);
  }
  return out;
}

const nameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };

// An express path parameter (':name'); '\:' is a literal colon.
const EXPRESS_PARAM = /(?<!\\):(\w+)/g;

/** The providers' native routes: their bodies are the providers' own, so only the shape of the call is described. */
function nativePaths(routes: readonly MountedNativeRoute[]): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { provider, route, path } of routes) {
    const parameters = [...path.matchAll(EXPRESS_PARAM)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const openApiPath = path.replace(EXPRESS_PARAM, '{$1}').replace(/\\:/g, ':');
    (paths[openApiPath] ??= {})[route.method.toLowerCase()] = {
      summary: `Native passthrough in ${provider}'s own protocol (${route.endpointType} endpoints)`,
      parameters,
      ...(route.method === 'GET' ? {} : { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } } }),
      responses: {
        '200': { description: "The provider's answer, or an event stream in its own format" },
        default: { description: "Error in the provider's own shape" },
      },
    };
  }
  return paths;
}

export function buildOpenApi(version: string, native: readonly MountedNativeRoute[] = []): Record<string, unknown> {
  const invocations = {
    post: {
      summary: 'Query an endpoint (MLflow). The body follows the endpoint type: chat, completions or embeddings.',
      parameters: [nameParam],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: { oneOf: [chatRequestSchema, completionsRequestSchema, embeddingsRequestSchema].map(toOpenApi) },
          },
        },
      },
      responses: { '200': { description: 'The answer, or an event stream' }, '400': errorResponse, '404': errorResponse },
    },
  };
  const v1 = {
    '/v1/chat/completions': invoke('Chat completion (OpenAI format); `model` is the endpoint name', chatRequestSchema, true),
    '/v1/completions': invoke('Text completion (OpenAI format); `model` is the endpoint name', completionsRequestSchema, true),
    '/v1/embeddings': invoke('Embeddings (OpenAI format); `model` is the endpoint name', embeddingsRequestSchema, true),
    '/v1/models': { get: { summary: 'List endpoints and routes as models', responses: { '200': { description: 'OK' } } } },
  };
  const paths: Record<string, unknown> = { ...v1 };
  for (const [p, item] of Object.entries(v1)) paths[`/gateway/mlflow${p}`] = item;
  Object.assign(paths, {
    '/api/2.0/endpoints/': {
      get: {
        summary: 'List endpoints (MLflow)',
        parameters: [
          { name: 'page_token', in: 'query', schema: { type: 'string' } },
          { name: 'max_results', in: 'query', schema: { type: 'integer' } },
        ],
        responses: { '200': { description: 'OK' } },
      },
    },
    '/api/2.0/endpoints/{name}': { get: { summary: 'Get one endpoint (MLflow)', parameters: [nameParam], responses: { '200': { description: 'OK' }, '404': errorResponse } } },
    '/endpoints/{name}/invocations': invocations,
    '/gateway/{name}/invocations': invocations,
    '/health': { get: { summary: 'Liveness', responses: { '200': { description: 'OK' } } } },
  });
  Object.assign(paths, nativePaths(native));
  return { openapi: '3.0.3', info: { title: 'Gatehouse AI Gateway', version }, paths };
}
