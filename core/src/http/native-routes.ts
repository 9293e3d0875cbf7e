// The express side of native passthrough routes: mount each declared route once, hand the
// request to core/src/native, and write what comes back (JSON, or a stream with backpressure).
import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, Express, Request, RequestHandler, Response } from 'express';
import type { Gateway } from '../gateway.js';
import { safeError } from '../pipeline.js';
import { errorReply } from '../native/errors.js';
import { NativeExchange, type NativeReply } from '../native/exchange.js';
import type { NativeIncoming } from '../native/request.js';
import type { MountedNativeRoute } from '../native/routes.js';
import { bodyParseError, type BodyParserError } from './body-errors.js';
import { requestId } from './invoke-routes.js';
import { copyOwn } from '../util/copy.js';
import { baseHeaders, sendJson, waitForDrain } from './reply.js';

const NO_BUFFERING = Object.freeze({ 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });

export function mountNativeRoutes(app: Express, gw: Gateway, body: RequestHandler): void {
  for (const mounted of gw.nativeRoutes) {
    const method = mounted.route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    app[method](mounted.path, body, nativeHandler(gw, mounted), bodyErrors(mounted));
  }
}

function incomingOf(req: Request): NativeIncoming {
  return {
    method: req.method,
    path: req.path,
    params: req.params as Record<string, string>,
    query: (req.query ?? {}) as Record<string, string | string[]>,
    headers: req.headers,
    body: req.body,
    requestId: requestId(req),
  };
}

function nativeHandler(gw: Gateway, mounted: MountedNativeRoute): RequestHandler {
  return async (req, res) => {
    const start = performance.now();
    let exchange: NativeExchange;
    try {
      exchange = NativeExchange.open(gw, mounted, incomingOf(req), start);
    } catch (error) {
      const refusal = errorReply(mounted.route, safeError(error, gw.redactor), false);
      const headers = copyOwn(refusal.headers);
      headers['x-request-id'] = requestId(req) ?? randomUUID();
      return sendJson(res, refusal.status, refusal.body, headers);
    }
    res.once('close', () => exchange.close(!res.writableFinished));
    const reply = await exchange.reply();
    if (res.destroyed) return;
    if (reply.frames) return writeStream(res, exchange, reply, reply.frames);
    // The upstream's headers, copied as data (util/copy.ts), then ours.
    sendJson(res, reply.status, reply.body, Object.assign(copyOwn(reply.headers), baseHeaders(exchange.ctx, performance.now())));
  };
}

async function writeStream(res: Response, exchange: NativeExchange, reply: NativeReply, frames: AsyncIterable<string | Uint8Array>): Promise<void> {
  res.writeHead(reply.status, Object.assign(copyOwn(reply.headers), NO_BUFFERING, baseHeaders(exchange.ctx, performance.now())));
  res.flushHeaders();
  const iterator = frames[Symbol.asyncIterator]();
  for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
    // A closed response emits no more 'drain' or 'close': waiting on it would never end.
    if (!res.destroyed && !res.write(step.value) && !res.destroyed) await waitForDrain(res);
    if (res.destroyed) {
      await iterator.return?.(undefined);
      return;
    }
  }
  res.end();
}

/** A body that fails to parse is answered in the route's protocol, not OpenAI's. */
function bodyErrors(mounted: MountedNativeRoute): ErrorRequestHandler {
  return (error: BodyParserError, req, res, next) => {
    const failure = bodyParseError(error);
    if (failure === undefined) return next(error);
    if (failure === 'aborted') return;
    const reply = errorReply(mounted.route, failure, false);
    const headers = copyOwn(reply.headers);
    headers['x-request-id'] = requestId(req) ?? randomUUID();
    sendJson(res, reply.status, reply.body, headers);
  };
}
