// Reading a JSON request body without body-parser, shared by express's routes and the fast path.
import type { IncomingMessage } from 'node:http';

// A charset parameter other than UTF-8 (body-parser decodes those; here only UTF-8 is read).
const OTHER_CHARSET = /;\s*charset\s*=\s*(?!"?utf-8"?\s*(?:;|$))/i;

/**
 * The common case without body-parser's machinery (a tenth of a request's CPU): a body with a
 * Content-Length within the limit, not compressed, UTF-8. Everything else goes to body-parser,
 * which answers errors (413, bad JSON, unsupported encodings) with the same error types that
 * this reader uses. Returns false when it does not handle the request.
 */
export function readPlainJson(req: IncomingMessage & { body?: unknown }, limit: number, next: (error?: unknown) => void): boolean {
  const headers = req.headers;
  const length = headers['content-length'];
  const encoding = headers['content-encoding'];
  const type = headers['content-type'];
  if (length === undefined || headers['transfer-encoding'] !== undefined || req.complete) return false;
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  if (type !== undefined && OTHER_CHARSET.test(type)) return false;
  const size = Number(length);
  if (!Number.isSafeInteger(size) || size <= 0 || size > limit) return false;

  const chunks: Buffer[] = [];
  let received = 0;
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    chunks.push(chunk);
  };
  const onEnd = () => {
    cleanup();
    if (received !== size) return next(Object.assign(new Error('request size did not match content length'), { type: 'request.size.invalid', status: 400, expected: size, received }));
    let text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM, as body-parser's decoder drops it
    try {
      req.body = JSON.parse(text);
    } catch (error) {
      return next(Object.assign(error as Error, { type: 'entity.parse.failed', status: 400, body: text }));
    }
    next();
  };
  const onClose = () => {
    cleanup();
    next(Object.assign(new Error('request aborted'), { type: 'request.aborted', status: 400 }));
  };
  const onError = (error: Error) => {
    cleanup();
    next(error);
  };
  const cleanup = () => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('close', onClose);
    req.off('error', onError);
  };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('close', onClose);
  req.on('error', onError);
  return true;
}
