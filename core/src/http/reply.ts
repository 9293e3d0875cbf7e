// Writing replies: JSON bodies, errors in OpenAI's shape, and streams with backpressure.
import type { ServerResponse } from 'node:http';
import type { Gateway } from '../gateway.js';
import type { Context } from '../context.js';
import type { StreamChunk } from '../api/openai-types.js';
import { createError, toOpenAIErrorBody, type GatewayError } from '../errors.js';
import type { StreamFormat } from './stream-formats.js';
import { stringifyJson } from '../lazy-vectors.js';
import { verbatimBytes } from '../verbatim.js';

function serverTiming(ctx: Context, now: number): string {
  const t = ctx.timings;
  const upstreamEnd = t.upstreamEnd ?? t.upstreamFirstByte ?? now;
  const upstream = t.upstreamStart === undefined ? 0 : upstreamEnd - t.upstreamStart;
  const gateway = Math.max(0, now - t.start - upstream);
  return `gateway;dur=${gateway.toFixed(3)}, upstream;dur=${upstream.toFixed(3)}`;
}

export function baseHeaders(ctx: Context, now: number): Record<string, string> {
  // Copies with Object.assign, not spread, on this path (README, Performance, Hidden classes).
  const headers = Object.assign({}, ctx.responseHeaders);
  headers['x-request-id'] = ctx.id;
  headers['server-timing'] = serverTiming(ctx, now);
  return headers;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonWith(res, status, body, Object.assign({}, headers));
}

/** sendJson with a header object made for this reply alone: completed in place, not copied. */
function sendJsonWith(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | number>): void {
  // An upstream answer nothing changed goes back as its own bytes (verbatim.ts), not printed again.
  const payload = verbatimBytes(body) ?? stringifyJson(body);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  res.writeHead(status, headers);
  res.end(payload);
}

export function sendError(res: ServerResponse, error: GatewayError, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  const extra: Record<string, string> = Object.assign({}, headers);
  if (error.retryAfter !== undefined) extra['retry-after'] = String(error.retryAfter);
  sendJson(res, error.status, toOpenAIErrorBody(error), extra);
}

/**
 * Run a context through the pipeline and reply. The client going away aborts the upstream
 * call; observers run once the reply is complete.
 */
export async function runAndReply(gw: Gateway, ctx: Context, res: ServerResponse, format: StreamFormat): Promise<void> {
  res.once('close', () => {
    if (!res.writableFinished) ctx.cancellation.abort(createError('GW_ERR_CLIENT_CLOSED', 'The client closed the connection.'));
    gw.finish(ctx);
  });
  try {
    const result = await gw.execute(ctx);
    if (result.kind === 'body') {
      ctx.status = 200;
      sendJsonWith(res, 200, result.body, baseHeaders(ctx, performance.now()));
      return;
    }
    await sendStream(gw, ctx, res, result.chunks, format);
  } catch (error) {
    const safe = gw.fail(ctx, error);
    sendError(res, safe, Object.assign({}, ctx.responseHeaders, { 'x-request-id': ctx.id }));
  }
}

export function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * The first chunk is pulled before the 200 goes out, so a failure before any content still
 * gets its real status (and a fallback could still take over). The headers then go out with the
 * first chunk, and the chunks that one upstream read brings are written together (corked until
 * the tick ends): a write per chunk was a system call per chunk.
 */
async function sendStream(gw: Gateway, ctx: Context, res: ServerResponse, chunks: AsyncIterable<StreamChunk>, format: StreamFormat): Promise<void> {
  const iterator = chunks[Symbol.asyncIterator]();
  let step = await iterator.next();
  const now = performance.now();
  ctx.timings.firstChunk = now;
  ctx.status = 200;
  const headers = baseHeaders(ctx, now);
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-cache';
  headers['x-accel-buffering'] = 'no';
  res.writeHead(200, headers);
  let corked = false;
  const uncork = () => {
    corked = false;
    res.uncork();
  };
  try {
    while (!step.done) {
      if (!corked) {
        corked = true;
        res.cork();
        process.nextTick(uncork);
      }
      if (!res.write(format.chunk(step.value))) await waitForDrain(res);
      if (res.destroyed) break;
      step = await iterator.next();
    }
    if (res.destroyed) {
      await iterator.return?.(undefined);
      return;
    }
    res.end(format.end);
  } catch (error) {
    const safe = gw.fail(ctx, error);
    if (!res.destroyed && !res.writableEnded) res.end(format.error(safe));
  }
}
