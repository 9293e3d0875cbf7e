// CORS for browser clients, off unless `server.cors` lists origins.
import type { RequestHandler } from 'express';
import type { Gateway } from '../gateway.js';

const EXPOSED = 'x-request-id, server-timing, retry-after, x-ratelimit-limit-requests, x-ratelimit-remaining-requests';

export function cors(gw: Gateway): RequestHandler {
  return (req, res, next) => {
    const settings = gw.settings.cors;
    const origin = req.headers.origin;
    if (!settings || !origin) return next();
    const allowed = settings.origins === '*' || settings.origins.includes(origin);
    if (!allowed) return next();
    res.setHeader('access-control-allow-origin', settings.origins === '*' && !settings.credentials ? '*' : origin);
    res.setHeader('vary', 'Origin');
    res.setHeader('access-control-expose-headers', EXPOSED);
    if (settings.credentials) res.setHeader('access-control-allow-credentials', 'true');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
      const requested = req.headers['access-control-request-headers'];
      res.setHeader('access-control-allow-headers', requested ?? 'authorization, content-type, x-api-key');
      res.setHeader('access-control-max-age', String(settings.max_age_seconds ?? 600));
      res.statusCode = 204;
      res.end();
      return;
    }
    next();
  };
}
