// Mount plugins' HTTP routes. Handlers get our own request object, never express's.
import express, { type Router } from 'express';
import type { Gateway } from '../gateway.js';
import type { PluginHttpRequest } from '../api/plugin.js';
import { toGatewayError } from '../errors.js';
import { safeError } from '../pipeline.js';
import { sendError, sendJson } from './reply.js';
import { pluginMountPath } from './route-patterns.js';

export function pluginRouter(gw: Gateway, routes: Gateway['pluginRoutes'] = gw.pluginRoutes): Router {
  const router = express.Router();
  for (const entry of routes) {
    const { plugin, route } = entry;
    const mountPath = pluginMountPath(entry);
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    router[method](mountPath, async (req, res) => {
      const controller = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) controller.abort();
      });
      const request: PluginHttpRequest = {
        method: req.method,
        path: req.path,
        params: req.params as Record<string, string>,
        query: req.query as Record<string, string | string[]>,
        headers: req.headers,
        body: req.body,
        signal: controller.signal,
        log: gw.log.child({ plugin }),
      };
      try {
        const reply = await route.handler(request);
        const status = reply.status ?? 200;
        if (reply.stream) {
          res.writeHead(status, reply.headers ?? {});
          for await (const piece of reply.stream) {
            if (res.destroyed) break;
            res.write(piece);
          }
          res.end();
        } else if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) {
          res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...reply.headers });
          res.end(reply.body);
        } else if (reply.body === undefined) {
          res.writeHead(status, reply.headers ?? {});
          res.end();
        } else {
          sendJson(res, status, reply.body, reply.headers);
        }
      } catch (error) {
        const gwError = toGatewayError(error);
        if (gwError.status >= 500) gw.log.error('plugin route failed', { plugin, path: mountPath, error: (error as Error).message });
        sendError(res, safeError(gwError, gw.redactor));
      }
    });
  }
  return router;
}
