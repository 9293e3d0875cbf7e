// The one thin adapter between express and the gateway: parse, route, reply. Nothing past
// this folder sees express's req or res.
import express, { type ErrorRequestHandler, type Express, type NextFunction, type Request, type RequestHandler } from 'express';
import type { Gateway } from '../gateway.js';
import { createError } from '../errors.js';
import { sendError } from './reply.js';
import { invocationsHandler, openAIHandler } from './invoke-routes.js';
import { getEndpoint, getModel, health, listEndpoints, listModels, withRequestId } from './info-routes.js';
import { cors } from './cors.js';
import { docsRouter } from './docs.js';
import { buildOpenApi } from './openapi.js';
import { pluginRouter } from './plugin-routes.js';
import { bodyParseError, type BodyParserError } from './body-errors.js';
import { mountNativeRoutes } from './native-routes.js';

/** JSON bodies of any content type (curl's default form type included), within the configured limit. */
function jsonBody(gw: Gateway): RequestHandler {
  let limit = -1;
  let parser: RequestHandler = (_req, _res, next) => next();
  return (req, res, next) => {
    // The limit follows hot reloads; the parser is rebuilt only when it changes.
    if (gw.settings.bodyLimitBytes !== limit) {
      limit = gw.settings.bodyLimitBytes;
      parser = express.json({ limit, type: () => true, strict: false });
    }
    if (!readPlainJson(req, limit, next)) parser(req, res, next);
  };
}

// A charset parameter other than UTF-8 (body-parser decodes those; here only UTF-8 is read).
const OTHER_CHARSET = /;\s*charset\s*=\s*(?!"?utf-8"?\s*(?:;|$))/i;

/**
 * The common case without body-parser's machinery (a tenth of a request's CPU): a body with a
 * Content-Length within the limit, not compressed, UTF-8. Everything else goes to body-parser,
 * which answers errors (413, bad JSON, unsupported encodings) with the same error types that
 * this reader uses. Returns false when it does not handle the request.
 */
function readPlainJson(req: Request, limit: number, next: NextFunction): boolean {
  const headers = req.headers;
  const length = headers['content-length'];
  const encoding = headers['content-encoding'];
  const type = headers['content-type'];
  if (length === undefined || headers['transfer-encoding'] !== undefined || req.complete) return false;
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  if (type !== undefined && OTHER_CHARSET.test(type)) return false;
  const size = Number(length);
  if (!Number.isSafeInteger(size) || size <= 0 || size > limit) return false;

  const chunks: Buffer[] = [];
  let received = 0;
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    chunks.push(chunk);
  };
  const onEnd = () => {
    cleanup();
    if (received !== size) return next(Object.assign(new Error('request size did not match content length'), { type: 'request.size.invalid', status: 400, expected: size, received }));
    let text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM, as body-parser's decoder drops it
    try {
      req.body = JSON.parse(text);
    } catch (error) {
      return next(Object.assign(error as Error, { type: 'entity.parse.failed', status: 400, body: text }));
    }
    next();
  };
  const onClose = () => {
    cleanup();
    next(Object.assign(new Error('request aborted'), { type: 'request.aborted', status: 400 }));
  };
  const onError = (error: Error) => {
    cleanup();
    next(error);
  };
  const cleanup = () => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('close', onClose);
    req.off('error', onError);
  };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('close', onClose);
  req.on('error', onError);
  return true;
}

const bodyErrors: ErrorRequestHandler = (error: BodyParserError, _req, res, next) => {
  const failure = bodyParseError(error);
  if (failure === undefined) return next(error);
  if (failure !== 'aborted') sendError(res, failure);
};

export function createApp(gw: Gateway, version: string): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(cors(gw));

  const body = jsonBody(gw);
  for (const prefix of ['', '/gateway/mlflow']) {
    app.post(`${prefix}/v1/chat/completions`, body, openAIHandler(gw, 'llm/v1/chat'));
    app.post(`${prefix}/v1/completions`, body, openAIHandler(gw, 'llm/v1/completions'));
    app.post(`${prefix}/v1/embeddings`, body, openAIHandler(gw, 'llm/v1/embeddings'));
    app.get(`${prefix}/v1/models`, withRequestId, listModels(gw));
    app.get(`${prefix}/v1/models/:model`, withRequestId, getModel(gw));
  }
  app.get(['/api/2.0/endpoints', '/api/2.0/endpoints/'], withRequestId, listEndpoints(gw));
  app.get('/api/2.0/endpoints/:name', withRequestId, getEndpoint(gw));
  app.post('/endpoints/:name/invocations', body, invocationsHandler(gw));
  app.post('/gateway/:name/invocations', body, invocationsHandler(gw));
  app.get('/health', health);
  mountNativeRoutes(app, gw, body);

  app.use(body, pluginRouter(gw));
  app.use(docsRouter(buildOpenApi(version, gw.nativeRoutes)));

  app.use(bodyErrors);
  app.use((req, res) => {
    sendError(res, createError('GW_ERR_ROUTE_NOT_FOUND', `No route ${req.method} ${req.path}. See /docs for the API.`));
  });
  const lastResort: ErrorRequestHandler = (error, _req, res, _next) => {
    gw.log.error('unhandled error in the HTTP layer', { error: gw.redactor.redact(String((error as Error)?.stack ?? error)) });
    sendError(res, createError('GW_ERR_INTERNAL', 'Internal gateway error.'));
  };
  app.use(lastResort);
  return app;
}
