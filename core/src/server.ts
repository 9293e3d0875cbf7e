// The HTTP server around a gateway, with graceful shutdown: stop accepting, let requests and
// streams in flight finish (up to the shutdown timeout), then close the gateway.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { Gateway, type GatewayOptions } from './gateway.js';
import { fastPath } from './http/fast-path.js';
import { health } from './http/info-routes.js';
import { checkRoutePatterns, pluginMountPath } from './http/route-patterns.js';
import { sendError } from './http/reply.js';
import { createError } from './errors.js';

const require = createRequire(import.meta.url);
export const VERSION: string = (require('../../package.json') as { version: string }).version;

export interface ListenOptions {
  readonly host?: string;
  readonly port?: number;
}

export interface RunningServer {
  readonly gateway: Gateway;
  readonly server: Server;
  /** e.g. http://127.0.0.1:5000 */
  readonly url: string;
  /** Graceful: waits for in-flight requests and streams, then closes everything. */
  close(): Promise<void>;
}

// MLflow binds "localhost"; an explicit IPv4 loopback keeps 127.0.0.1 reachable where localhost resolves to ::1 first.
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 5000;

/**
 * Express, and all that only it serves (listings, docs and the OpenAPI document, plugin and
 * native routes, CORS requests), is loaded and built on the first request that needs it: the
 * traffic routes take the fast path and GET /health is answered here (as express's route
 * would), so a gateway that only proxies never holds express in memory (about 7 MiB).
 */
function expressOnFirstUse(gateway: Gateway, pluginRoutes: Gateway['pluginRoutes']): RequestListener {
  let app: RequestListener | undefined;
  let loading: Promise<RequestListener> | undefined;
  const load = () =>
    import('./http/app.js').then(({ createApp }) => {
      app = createApp(gateway, VERSION, pluginRoutes) as unknown as RequestListener;
      return app;
    });
  return (req: IncomingMessage, res: ServerResponse) => {
    // Express would run only its CORS middleware before this route, which adds headers when an Origin is sent.
    if (req.method === 'GET' && req.url === '/health' && !(gateway.settings.cors && req.headers.origin !== undefined)) {
      return (health as unknown as RequestListener)(req, res);
    }
    if (app !== undefined) return app(req, res);
    loading ??= load();
    loading.then(
      (ready) => ready(req, res),
      (error: unknown) => {
        loading = undefined;
        gateway.log.error('unhandled error in the HTTP layer', { error: gateway.redactor.redact(String((error as Error)?.stack ?? error)) });
        sendError(res, createError('GW_ERR_INTERNAL', 'Internal gateway error.'));
      },
    );
  };
}

export async function listen(gateway: Gateway, options: ListenOptions = {}): Promise<RunningServer> {
  // The routes are taken now, as when express was built here: what mounting them would reject
  // fails start-up, and a route a plugin registers later is not served, as before.
  const pluginRoutes = gateway.pluginRoutes;
  checkRoutePatterns([...gateway.nativeRoutes.map((m) => m.path), ...pluginRoutes.map(pluginMountPath)]);
  const app = expressOnFirstUse(gateway, pluginRoutes);
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, fastPath(gateway, app));
  // Long streams must not be cut by Node's default timeouts.
  server.headersTimeout = 66_000;
  const host = options.host ?? gateway.settings.host ?? DEFAULT_HOST;
  const port = options.port ?? gateway.settings.port ?? DEFAULT_PORT;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    gateway,
    server,
    url: `http://${shownHost}:${address.port}`,
    close() {
      closing ??= shutdown(gateway, server);
      return closing;
    },
  };
}

async function shutdown(gateway: Gateway, server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const drained = await gateway.drain(gateway.settings.shutdownTimeoutMs);
  if (!drained) gateway.log.warn('shutdown timeout reached: closing connections with requests still in flight', { inFlight: gateway.inFlight });
  server.closeAllConnections();
  await closed;
  await gateway.close();
}

/** Create a gateway and serve it: the embedding API (`gatehouse start` uses it too). */
export async function startGateway(options: GatewayOptions & ListenOptions = {}): Promise<RunningServer> {
  const gateway = await Gateway.create(options);
  try {
    return await listen(gateway, options);
  } catch (error) {
    await gateway.close();
    throw error;
  }
}
