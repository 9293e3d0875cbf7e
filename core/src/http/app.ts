// The one thin adapter between express and the gateway: parse, route, reply. Nothing past
// this folder sees express's req or res.
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
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
import { readPlainJson } from './plain-json.js';

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

const bodyErrors: ErrorRequestHandler = (error: BodyParserError, _req, res, next) => {
  const failure = bodyParseError(error);
  if (failure === undefined) return next(error);
  if (failure !== 'aborted') sendError(res, failure);
};

/** `pluginRoutes`: the plugins' routes as they stood at start-up (server.ts builds this app on first use). */
export function createApp(gw: Gateway, version: string, pluginRoutes: Gateway['pluginRoutes'] = gw.pluginRoutes): Express {
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

  app.use(body, pluginRouter(gw, pluginRoutes));
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
