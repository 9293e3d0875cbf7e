// The routes that carry the traffic (POST /v1/chat/completions, /v1/completions, /v1/embeddings,
// the invocations routes) dispatched without express: a map lookup instead of a walk through the
// router's stack and express's request/response prototypes, a fifth of a request's CPU. Anything
// unusual (CORS, a body that needs body-parser, an escaped path) goes to express, which answers
// every request this does not take exactly as before.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Gateway } from '../gateway.js';
import { createError } from '../errors.js';
import { bodyParseError, type BodyParserError } from './body-errors.js';
import { invocationsHandler, openAIHandler, type JsonHandler, type JsonRequest } from './invoke-routes.js';
import { readPlainJson } from './plain-json.js';
import { sendError } from './reply.js';

// MLflow's invocations routes: the name is one path segment (escaped names take express's path).
const INVOCATIONS = /^\/(?:endpoints|gateway)\/([^/%]+)\/invocations$/;

export function fastPath(gw: Gateway, app: RequestListener): RequestListener {
  const exact = new Map<string, JsonHandler>();
  for (const prefix of ['', '/gateway/mlflow']) {
    exact.set(`${prefix}/v1/chat/completions`, openAIHandler(gw, 'llm/v1/chat'));
    exact.set(`${prefix}/v1/completions`, openAIHandler(gw, 'llm/v1/completions'));
    exact.set(`${prefix}/v1/embeddings`, openAIHandler(gw, 'llm/v1/embeddings'));
  }
  const invoke = invocationsHandler(gw);

  const failed = (error: unknown, res: ServerResponse) => {
    gw.log.error('unhandled error in the HTTP layer', { error: gw.redactor.redact(String((error as Error)?.stack ?? error)) });
    sendError(res, createError('GW_ERR_INTERNAL', 'Internal gateway error.'));
  };

  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || (gw.settings.cors && req.headers.origin !== undefined)) return app(req, res);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    let handler = exact.get(path);
    let params: Record<string, string> | undefined;
    if (handler === undefined) {
      const match = INVOCATIONS.exec(path);
      if (match === null) return app(req, res);
      handler = invoke;
      params = { name: match[1]! };
    }
    const request = req as JsonRequest;
    const run = handler;
    const taken = readPlainJson(request, gw.settings.bodyLimitBytes, (error) => {
      if (error !== undefined) {
        const failure = bodyParseError(error as BodyParserError);
        if (failure === undefined) return failed(error, res);
        if (failure !== 'aborted') sendError(res, failure);
        return;
      }
      if (params) request.params = params;
      run(request, res).catch((e: unknown) => failed(e, res));
    });
    if (!taken) app(req, res);
  };
}
