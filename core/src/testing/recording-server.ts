// A real HTTP server on 127.0.0.1 for tests that must cross a socket (SDKs, timeouts, resets):
// it reads each request whole, hands it to the test's handler, and on close cuts every
// connection still open (stalled streams included) so that tests never hang on it.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path with the query string. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body as text ('' when none). */
  readonly text: string;
}

export interface RecordingServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

export type RecordingHandler = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export async function startRecordingServer(handle: RecordingHandler): Promise<RecordingServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, text: Buffer.concat(parts).toString('utf8') };
      void Promise.resolve(handle(request, res)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`test server handler failed: ${(error as Error).message}`);
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
