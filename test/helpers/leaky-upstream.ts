// Upstream behaviours that echo the caller's credential back in every place a real provider
// might: error messages (as OpenAI's "Incorrect API key provided: sk-..." does, here unmasked),
// other error fields, plain-text bodies, headers, broken JSON, stream error events.
// The scenario is the first word of the prompt, so one fake serves every endpoint.
import type { ServerResponse } from 'node:http';
import { chatChunk, lastUserText, openAIError, sendJson, sseData, startSSE, type Override, type Recorded } from './fake-openai.js';

export const SCENARIOS = [
  'echo-401',
  'echo-400-fields',
  'echo-429',
  'echo-500-text',
  'echo-header',
  'malformed',
  'hang',
  'reset',
] as const;
export const STREAM_SCENARIOS = ['stream-error-data', 'stream-error-event', 'stream-cut', 'echo-401'] as const;

/** The credential the gateway sent, whichever header carried it. */
export function givenKey(req: Recorded): string {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') return auth.replace(/^Bearer /, '');
  const key = req.headers['x-api-key'] ?? req.headers['api-key'];
  return typeof key === 'string' ? key : '';
}

function scenarioOf(req: Recorded): string {
  const body = (req.body ?? {}) as any;
  const text = lastUserText(body) || String(body.prompt ?? '') || String(Array.isArray(body.input) ? body.input[0] : (body.input ?? ''));
  return text.split(' ')[0] ?? '';
}

const anthropic = (req: Recorded) => req.path.endsWith('/messages');

function authError(req: Recorded, key: string): unknown {
  return anthropic(req)
    ? { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key: ${key}` } }
    : openAIError(`Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key');
}

function streamStart(res: ServerResponse): void {
  startSSE(res);
  sseData(res, chatChunk('gpt-4o-mini', { role: 'assistant', content: '' }, null, false));
  sseData(res, chatChunk('gpt-4o-mini', { content: 'partial ' }, null, false));
}

export const leakyUpstream: Override = (req, res) => {
  const key = givenKey(req);
  switch (scenarioOf(req)) {
    case 'echo-401':
      sendJson(res, 401, authError(req, key));
      return true;
    case 'echo-400-fields':
      // The message is clean; the key hides in other fields of the error body.
      sendJson(res, 400, { error: { message: 'Bad parameter.', type: 'invalid_request_error', param: key, code: `bad_${key}` }, echo: key });
      return true;
    case 'echo-429':
      sendJson(res, 429, openAIError(`Rate limit reached for key ${key}.`, 'requests', 'rate_limit_exceeded'), { 'retry-after': '2' });
      return true;
    case 'echo-500-text':
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error while using key ${key}`);
      return true;
    case 'echo-header':
      // A success whose headers carry the key: the gateway must not forward upstream headers.
      res.setHeader('x-upstream-echo', key);
      res.setHeader('set-cookie', `session=${key}`);
      return false;
    case 'malformed':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"oops": "${key}"`);
      return true;
    case 'hang':
      return true;
    case 'reset':
      res.socket?.destroy();
      return true;
    case 'stream-error-data':
      streamStart(res);
      sseData(res, openAIError(`The server had an error with key ${key}`, 'server_error', null));
      res.end();
      return true;
    case 'stream-error-event':
      streamStart(res);
      res.write(`event: error\ndata: ${JSON.stringify(openAIError(`failure for ${key}`, 'server_error', null))}\n\n`);
      res.end();
      return true;
    case 'stream-cut':
      streamStart(res);
      setTimeout(() => res.socket?.destroy(), 20);
      return true;
    default:
      return false;
  }
};
