// Read-only routes: OpenAI's model list and MLflow's endpoint listing (with its pagination).
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { requestId } from './invoke-routes.js';
import type { Gateway } from '../gateway.js';
import type { EndpointConfig } from '../config/types.js';
import { createError } from '../errors.js';
import { safeError } from '../pipeline.js';
import type { Principal } from '../api/context.js';
import { sendError, sendJson } from './reply.js';

const STARTED = Math.floor(Date.now() / 1000);

/** Every reply of these routes carries x-request-id too (the caller's, if valid), errors included. */
export const withRequestId: RequestHandler = (req, res, next) => {
  res.setHeader('x-request-id', requestId(req) ?? randomUUID());
  next();
};
/** MLflow's default page size for endpoint listings. */
const MLFLOW_PAGE_SIZE = 3000;

function modelEntry(id: string, ownedBy: string) {
  return { id, object: 'model', created: STARTED, owned_by: ownedBy };
}

/**
 * The listings answer the callers the pipeline would: with auth on (a plugin taps authenticate),
 * an unrecognised caller is a 401 and a caller sees only the names it may call.
 */
function listed(gw: Gateway, surface: 'openai' | 'mlflow', handler: (req: Request, res: Response, visible: (name: string) => boolean) => void): RequestHandler {
  return async (req, res) => {
    let principal: Principal | undefined;
    try {
      principal = await gw.identify(surface, req.headers);
    } catch (error) {
      return sendError(res, safeError(error, gw.redactor));
    }
    const allowed = principal?.endpoints;
    handler(req, res, allowed ? (name) => allowed.includes(name) : () => true);
  };
}

export function listModels(gw: Gateway): RequestHandler {
  return listed(gw, 'openai', (_req, res, visible) => {
    const snapshot = gw.snapshot;
    const data = [
      ...[...snapshot.endpoints.values()].filter((e) => visible(e.config.name)).map((e) => modelEntry(e.config.name, e.target.provider)),
      ...[...snapshot.routes.values()].filter((r) => visible(r.config.name)).map((r) => modelEntry(r.config.name, 'gatehouse-route')),
    ];
    sendJson(res, 200, { object: 'list', data });
  });
}

export function getModel(gw: Gateway): RequestHandler {
  return listed(gw, 'openai', (req, res, visible) => {
    const name = String(req.params.model);
    if (!visible(name)) return sendError(res, createError('GW_ERR_ENDPOINT_NOT_FOUND', `No endpoint or route named "${name}".`, { param: 'model' }));
    const endpoint = gw.snapshot.endpoints.get(name);
    if (endpoint) return sendJson(res, 200, modelEntry(name, endpoint.target.provider));
    if (gw.snapshot.routes.has(name)) return sendJson(res, 200, modelEntry(name, 'gatehouse-route'));
    sendError(res, createError('GW_ERR_ENDPOINT_NOT_FOUND', `No endpoint or route named "${name}".`, { param: 'model' }));
  });
}

/** MLflow's endpoint representation; provider options (and their secrets) are never included. */
function mlflowEndpoint(e: EndpointConfig, provider: string) {
  return {
    name: e.name,
    endpoint_type: e.endpoint_type,
    model: { name: e.model.name ?? null, provider },
    endpoint_url: `/gateway/${e.name}/invocations`,
    limit: e.limit ?? null,
  };
}

function decodePageToken(token: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { index?: unknown };
    return Number.isInteger(parsed.index) && (parsed.index as number) >= 0 ? (parsed.index as number) : undefined;
  } catch {
    return undefined;
  }
}

export function listEndpoints(gw: Gateway): RequestHandler {
  return listed(gw, 'mlflow', (req, res, visible) => {
    const all = [...gw.snapshot.endpoints.values()].filter((e) => visible(e.config.name));
    const token = typeof req.query.page_token === 'string' ? req.query.page_token : undefined;
    const start = token === undefined ? 0 : decodePageToken(token);
    if (start === undefined) {
      return sendError(res, createError('GW_ERR_BAD_REQUEST', 'page_token is not a token this gateway issued.', { param: 'page_token' }));
    }
    const sizeParam = req.query.max_results;
    const size = sizeParam === undefined ? MLFLOW_PAGE_SIZE : Number(sizeParam);
    if (!Number.isInteger(size) || size < 1 || size > MLFLOW_PAGE_SIZE) {
      return sendError(res, createError('GW_ERR_BAD_REQUEST', `max_results must be an integer from 1 to ${MLFLOW_PAGE_SIZE}.`, { param: 'max_results' }));
    }
    const page = all.slice(start, start + size).map((e) => mlflowEndpoint(e.config, e.target.provider));
    const next = start + size < all.length ? Buffer.from(JSON.stringify({ index: start + size })).toString('base64') : undefined;
    sendJson(res, 200, next ? { endpoints: page, next_page_token: next } : { endpoints: page });
  });
}

export function getEndpoint(gw: Gateway): RequestHandler {
  return listed(gw, 'mlflow', (req, res, visible) => {
    const name = String(req.params.name);
    const endpoint = visible(name) ? gw.snapshot.endpoints.get(name) : undefined;
    if (!endpoint) return sendError(res, createError('GW_ERR_ENDPOINT_NOT_FOUND', `No endpoint named "${name}".`));
    sendJson(res, 200, mlflowEndpoint(endpoint.config, endpoint.target.provider));
  });
}

export const health: RequestHandler = (_req, res) => sendJson(res, 200, { status: 'OK' });
