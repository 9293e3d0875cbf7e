// The routes that call endpoints: OpenAI's /v1 (also under /gateway/mlflow/v1) and MLflow's
// invocations routes. They only build a context; the pipeline does the rest.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Gateway } from '../gateway.js';
import type { EndpointType, RequestBody } from '../api/openai-types.js';
import type { Surface } from '../api/context.js';
import { createError } from '../errors.js';
import { safeError } from '../pipeline.js';
import { runAndReply, sendError } from './reply.js';
import { mlflowStreamFormat, openAIStreamFormat } from './stream-formats.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** What these handlers read of a request: node's, with the parsed body and the path's name (express's Request is one). */
export type JsonRequest = IncomingMessage & { body?: unknown; params?: Readonly<Record<string, unknown>> };
export type JsonHandler = (req: JsonRequest, res: ServerResponse) => Promise<void>;

export function requestId(req: IncomingMessage): string | undefined {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function handle(gw: Gateway, req: JsonRequest, res: ServerResponse, surface: Surface, requested: string | undefined, expectedType?: EndpointType) {
  const start = performance.now();
  const body: unknown = req.body;
  let ctx;
  try {
    ctx = gw.createContext({
      id: requestId(req),
      surface,
      requested: requested ?? '',
      headers: req.headers,
      request: (isObject(body) ? body : {}) as RequestBody,
      stream: isObject(body) && body.stream === true,
      expectedType,
      start,
    });
  } catch (error) {
    sendError(res, safeError(error, gw.redactor));
    return;
  }
  const format = surface === 'openai' ? openAIStreamFormat : mlflowStreamFormat;
  if (!isObject(body)) {
    return failEarly(gw, ctx, res, createError('GW_ERR_BAD_REQUEST', 'The request body must be a JSON object.'));
  }
  if (requested === undefined || requested === '') {
    return failEarly(
      gw,
      ctx,
      res,
      createError('GW_ERR_BAD_REQUEST', "'model' is required: the name of a Gatehouse endpoint or route (GET /v1/models lists them).", { param: 'model' }),
    );
  }
  await runAndReply(gw, ctx, res, format);
}

function failEarly(gw: Gateway, ctx: ReturnType<Gateway['createContext']>, res: ServerResponse, error: unknown): void {
  res.once('close', () => gw.finish(ctx));
  sendError(res, gw.fail(ctx, error), { 'x-request-id': ctx.id });
}

export function openAIHandler(gw: Gateway, type: EndpointType): JsonHandler {
  return (req, res) => {
    const model = isObject(req.body) && typeof req.body.model === 'string' ? req.body.model : undefined;
    return handle(gw, req, res, 'openai', model, type);
  };
}

export function invocationsHandler(gw: Gateway): JsonHandler {
  return (req, res) => handle(gw, req, res, 'mlflow', String(req.params?.name ?? ''));
}
