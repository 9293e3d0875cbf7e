// A local stand-in for api.openai.com: OpenAI's wire format with precomputed response bytes.
// Standalone: node bench/upstream-emulator.js [--port 0] [--host 127.0.0.1] [--chunk-delay MS] [--require-key]
//   prints one JSON line {"event":"listening","port":N} on stdout once it accepts connections.
// Env: EMULATOR_CHUNK_DELAY_MS sets the delay between stream frames (default 0: one burst).
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { buildPayloads, embeddingsResponse } from './emulator-payloads.js';

const MAX_BODY = 8 * 1024 * 1024;

function sendJson(res, status, bytes) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
  res.end(bytes);
}

function sendError(res, status, message, type) {
  sendJson(res, status, Buffer.from(JSON.stringify({ error: { message, type, param: null, code: null } })));
}

function sendStream(res, frames, chunkDelayMs) {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  // Without a delay the whole stream goes out in one write: cheapest for the emulator.
  if (!(chunkDelayMs > 0)) {
    res.end(Buffer.concat(frames));
    return;
  }
  // The first frame goes out with the headers; frame i is due i delays after it, on this stream's
  // own schedule. A shared setInterval would not do: Node restarts every interval that fires in
  // one pass of the timer list at the same instant, so streams whose frames ran late together
  // (a busy core) stay in step for good, and the clients' next requests arrive in bursts that
  // real streams, each paced by its own model, do not make.
  res.write(frames[0]);
  const started = performance.now();
  let i = 1;
  let timer;
  const next = () => {
    if (res.destroyed) return;
    res.write(frames[i++]);
    if (i === frames.length) return res.end();
    timer = setTimeout(next, Math.max(0, started + i * chunkDelayMs - performance.now()));
  };
  timer = setTimeout(next, chunkDelayMs);
  res.on('close', () => clearTimeout(timer));
}

function countInputs(input) {
  if (typeof input === 'string') return 1;
  if (!Array.isArray(input) || input.length === 0) return 0;
  // A flat array of token ids is one input; otherwise one per element.
  return typeof input[0] === 'number' ? 1 : input.length;
}

function inputChars(input) {
  if (typeof input === 'string') return input.length;
  if (Array.isArray(input)) return input.reduce((n, item) => n + (typeof item === 'string' ? item.length : Array.isArray(item) ? item.length * 4 : 4), 0);
  return 0;
}

// `/delay/<ms>/v1/...` paces this request's stream frames <ms> apart, whatever the default:
// one emulator serves both burst and paced streams (the gateway reaches it by its api base).
const DELAY_PREFIX = /^\/delay\/(\d+(?:\.\d+)?)(\/.*)$/;

function handle(payloads, defaultDelayMs, req, res, body) {
  let path = req.url.split('?', 1)[0];
  let chunkDelayMs = defaultDelayMs;
  const paced = DELAY_PREFIX.exec(path);
  if (paced) {
    chunkDelayMs = Number(paced[1]);
    path = paced[2];
  }
  const stream = body.stream === true;
  const includeUsage = body.stream_options?.include_usage === true;
  switch (path) {
    case '/v1/chat/completions':
      if (!Array.isArray(body.messages)) return sendError(res, 400, "Missing required parameter: 'messages'.", 'invalid_request_error');
      if (stream) return sendStream(res, includeUsage ? payloads.chatFrames.usage : payloads.chatFrames.plain, chunkDelayMs);
      return sendJson(res, 200, payloads.chat);
    case '/v1/completions':
      if (body.prompt === undefined) return sendError(res, 400, "Missing required parameter: 'prompt'.", 'invalid_request_error');
      if (stream) return sendStream(res, includeUsage ? payloads.completionFrames.usage : payloads.completionFrames.plain, chunkDelayMs);
      return sendJson(res, 200, payloads.completion);
    case '/v1/embeddings': {
      const count = countInputs(body.input);
      if (count === 0) return sendError(res, 400, "'input' must be a non-empty string or array.", 'invalid_request_error');
      const tokens = Math.max(1, Math.ceil(inputChars(body.input) / 4));
      return sendJson(res, 200, embeddingsResponse(payloads.embedding, count, body.encoding_format === 'base64', tokens));
    }
    default:
      return sendError(res, 404, `Unknown request URL: ${req.method} ${path}.`, 'invalid_request_error');
  }
}

/** Start the emulator; resolves to { port, close } once it is listening. */
export function startEmulator({ port = 0, host = '127.0.0.1', requireKey = false, chunkDelayMs = Number(process.env.EMULATOR_CHUNK_DELAY_MS ?? 0) } = {}) {
  const payloads = buildPayloads();
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') return sendJson(res, 200, Buffer.from('{"status":"OK"}'));
    if (req.method !== 'POST') return sendError(res, 405, `Method ${req.method} not allowed.`, 'invalid_request_error');
    // Like the real API when asked to: a key is required (its value is not checked).
    if (requireKey && !req.headers.authorization) return sendError(res, 401, 'You didn\'t provide an API key.', 'invalid_request_error');
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return sendError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
      }
      if (body === null || typeof body !== 'object') return sendError(res, 400, 'The body must be a JSON object.', 'invalid_request_error');
      handle(payloads, chunkDelayMs, req, res, body);
    });
  });
  // Longer than undici's idle keep-alive so the server never closes a socket a client is about to reuse.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const close = () => new Promise((done) => {
        server.close(() => done());
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
  const options = {
    port: Number(flag(argv, '--port', 0)),
    host: flag(argv, '--host', '127.0.0.1'),
    chunkDelayMs: Number(flag(argv, '--chunk-delay', process.env.EMULATOR_CHUNK_DELAY_MS ?? 0)),
    requireKey: argv.includes('--require-key'),
  };
  const { port, close } = await startEmulator(options);
  process.stdout.write(JSON.stringify({ event: 'listening', host: options.host, port, chunkDelayMs: options.chunkDelayMs }) + '\n');
  const stop = () => close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Started by the runner: exit if the runner goes away, even if it was killed outright.
  if (argv.includes('--exit-with-parent')) {
    process.stdin.on('end', stop).on('error', stop).resume();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`upstream emulator: ${error.message}\n`);
    process.exit(1);
  });
}
