// The reference for the benchmark: the cheapest thing that could stand in Gatehouse's place.
// A node:http server that forwards every request to one upstream through a pooled keep-alive
// undici Pool, bytes piped both ways, nothing parsed, nothing checked, nothing recorded.
// Standalone: node bench/bare-proxy.js --upstream http://127.0.0.1:PORT [--port 0] [--host 127.0.0.1]
//   prints one JSON line {"event":"listening","port":N} on stdout once it accepts connections.
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

// Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection and are not forwarded.
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

function forwardable(headers) {
  const out = {};
  for (const name in headers) if (!HOP.has(name)) out[name] = headers[name];
  return out;
}

export function startBareProxy({ upstream, port = 0, host = '127.0.0.1', connections = 256 }) {
  const pool = new Pool(upstream, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const server = http.createServer((req, res) => {
    pool.stream(
      { path: req.url, method: req.method, headers: forwardable(req.headers), body: req.method === 'GET' || req.method === 'HEAD' ? null : req },
      ({ statusCode, headers }) => {
        res.writeHead(statusCode, forwardable(headers));
        return res; // undici writes each upstream chunk as it arrives, with backpressure
      },
      (error) => {
        if (!error) return;
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `bare proxy: ${error.message}` } }));
        } else res.destroy(error);
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const close = () => new Promise((done) => {
        server.close(() => pool.close().then(done, done));
        server.closeAllConnections();
      });
      resolve({ port: server.address().port, close });
    });
  });
}

function flag(argv, name, fallback) {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
}

async function main(argv) {
  const upstream = flag(argv, '--upstream', undefined);
  if (!upstream) throw new Error('--upstream http://host:port is required');
  const options = { upstream, port: Number(flag(argv, '--port', 0)), host: flag(argv, '--host', '127.0.0.1') };
  const { port, close } = await startBareProxy(options);
  process.stdout.write(JSON.stringify({ event: 'listening', host: options.host, port }) + '\n');
  const stop = () => close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (argv.includes('--exit-with-parent')) process.stdin.on('end', stop).on('error', stop).resume();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`bare proxy: ${error.message}\n`);
    process.exit(1);
  });
}
