// The provider test kit of @gatehousejs/core/testing: fixtures, per-test agents, recording
// interceptors, bodies replayed in pieces, and the outcome helpers other packages' tests rely on.
import { AssertionError } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { request, type Dispatcher } from 'undici';
import { createError } from '../src/errors.js';
import * as testing from '../src/testing/index.js';
import {
  agentPerTest,
  answer,
  bytesThrough,
  chatStreamRequest,
  chunkBodies,
  drain,
  fixtureFiles,
  newAgent,
  providerPerTest,
  readThenAbort,
  recordingLogger,
  rejection,
  replaying,
  services,
  sseBody,
  type LogLine,
  type TestHooks,
} from '../src/testing/index.js';

const ORIGIN = 'https://llm.example.com';

/** Hooks that record what they are given, to run them by hand. */
function fakeHooks(): TestHooks & { before: (() => void | Promise<void>)[]; after: (() => void | Promise<void>)[] } {
  const before: (() => void | Promise<void>)[] = [];
  const after: (() => void | Promise<void>)[] = [];
  return { before, after, beforeEach: (fn) => before.push(fn), afterEach: (fn) => after.push(fn) };
}

const failure = async (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (e: unknown) => e);

/** Read a response body as the pieces it arrived in. */
async function pieces(dispatcher: Dispatcher, path = '/v1/stream'): Promise<string[]> {
  const res = await request(`${ORIGIN}${path}`, { method: 'POST', body: '{}', dispatcher });
  const out: string[] = [];
  for await (const piece of res.body) out.push(Buffer.from(piece as Uint8Array).toString('latin1'));
  return out;
}

describe('testing kit: fixtures', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-fixtures-'));
    writeFileSync(join(dir, 'answer.jsonc'), '// Example answer, https://example.com/docs/answer\n  // second comment line\n{"id": "x", "text": "// not a comment"}\n');
    writeFileSync(join(dir, 'stream.sse'), ': recorded as https://example.com/docs/stream\n\ndata: {"a":1}\n\n');
    writeFileSync(join(dir, 'page.xml'), '<!-- https://example.com/docs/xml -->\n<a/>\n');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('cuts the leading // lines of a .jsonc fixture, leaving the exact body, and parses it', () => {
    const files = fixtureFiles(pathToFileURL(dir));
    expect(files.fixture('answer.jsonc')).to.equal('{"id": "x", "text": "// not a comment"}\n');
    expect(files.fixtureJson('answer.jsonc')).to.deep.equal({ id: 'x', text: '// not a comment' });
  });

  it('serves .sse and other fixtures as they are, comment lines included', () => {
    const { fixture } = fixtureFiles(pathToFileURL(`${dir}/`));
    expect(fixture('stream.sse')).to.equal(': recorded as https://example.com/docs/stream\n\ndata: {"a":1}\n\n');
    expect(fixture('page.xml')).to.equal('<!-- https://example.com/docs/xml -->\n<a/>\n');
  });

  it('builds an SSE body from events, objects as JSON and strings as they are', () => {
    expect(sseBody([{ a: 1 }, '[DONE]'])).to.equal('data: {"a":1}\n\ndata: [DONE]\n\n');
  });
});

describe('testing kit: answer', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('records method, path, query, lower-cased headers, the body as sent and parsed', async () => {
    const sent = answer(mock.agent, ORIGIN, '/v1/chat?api-version=2024-10-21&x=1', { body: { ok: true } });
    expect(sent.calls).to.equal(0);
    const res = await request(`${ORIGIN}/v1/chat?api-version=2024-10-21&x=1`, {
      method: 'POST',
      headers: { 'X-Api-Key': 'k', 'content-type': 'application/json' },
      body: '{"model":"m"}',
      dispatcher: mock.agent,
    });
    expect(await res.body.json()).to.deep.equal({ ok: true });
    expect(res.statusCode).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/json');
    expect(sent.calls).to.equal(1);
    expect(sent.method).to.equal('POST');
    expect(sent.path).to.equal('/v1/chat?api-version=2024-10-21&x=1');
    expect(sent.query).to.deep.equal({ 'api-version': '2024-10-21', x: '1' });
    expect(sent.headers).to.deep.include({ 'x-api-key': 'k', 'content-type': 'application/json' });
    expect(sent.text).to.equal('{"model":"m"}');
    expect(sent.body).to.deep.equal({ model: 'm' });
    expect(sent.requests[0]).to.equal(sent.last);
  });

  it('sends a string as it is, as SSE when a 2xx body reads as SSE; given headers win over the default', async () => {
    answer(mock.agent, ORIGIN, '/sse', { body: ': comment\n\ndata: {}\n\n' });
    answer(mock.agent, ORIGIN, '/html', { status: 502, body: '<html>bad gateway</html>', headers: { 'Content-Type': 'text/html', 'retry-after': '3' } });
    answer(mock.agent, ORIGIN, '/error', { status: 400, body: 'data: not a stream on an error' });
    const sse = await request(`${ORIGIN}/sse`, { method: 'POST', dispatcher: mock.agent });
    expect(sse.headers['content-type']).to.equal('text/event-stream');
    expect(await sse.body.text()).to.equal(': comment\n\ndata: {}\n\n');
    const html = await request(`${ORIGIN}/html`, { method: 'POST', dispatcher: mock.agent });
    expect([html.statusCode, html.headers['content-type'], html.headers['retry-after']]).to.deep.equal([502, 'text/html', '3']);
    expect(await html.body.text()).to.equal('<html>bad gateway</html>');
    const error = await request(`${ORIGIN}/error`, { method: 'POST', dispatcher: mock.agent });
    expect(error.headers['content-type']).to.equal('application/json');
    await error.body.text();
  });

  it('answers `times` requests, or every one with `persist`, recording each; a RegExp path matches several', async () => {
    const twice = answer(mock.agent, ORIGIN, '/twice', { body: {}, times: 2 });
    const always = answer(mock.agent, ORIGIN, /^\/any\//, { body: {}, persist: true }, 'GET');
    for (const n of [1, 2]) await (await request(`${ORIGIN}/twice`, { method: 'POST', body: JSON.stringify({ n }), dispatcher: mock.agent })).body.text();
    for (const p of ['/any/a', '/any/b', '/any/c']) await (await request(`${ORIGIN}${p}`, { dispatcher: mock.agent })).body.text();
    expect(twice.bodies).to.deep.equal([{ n: 1 }, { n: 2 }]);
    expect(twice.body).to.deep.equal({ n: 2 });
    expect(always.requests.map((r) => [r.method, r.path, r.text])).to.deep.equal([
      ['GET', '/any/a', ''],
      ['GET', '/any/b', ''],
      ['GET', '/any/c', ''],
    ]);
    expect(always.body).to.deep.equal({});
  });

  it('fails a test that reads the request before it arrived, or a body that is not JSON as JSON', async () => {
    const sent = answer(mock.agent, ORIGIN, '/form', { body: '<ok/>' });
    expect(() => sent.body).to.throw(AssertionError, /no request has reached this interceptor/);
    await (await request(`${ORIGIN}/form`, { method: 'POST', body: 'Action=AssumeRole&Version=2011-06-15', dispatcher: mock.agent })).body.text();
    expect(sent.text).to.equal('Action=AssumeRole&Version=2011-06-15');
    expect(() => sent.body).to.throw(AssertionError, /the request body is not JSON: Action=AssumeRole/);
  });

  it('delays the answer by `delay` milliseconds', async () => {
    answer(mock.agent, ORIGIN, '/slow', { body: {}, delay: 60 });
    const start = Date.now();
    await (await request(`${ORIGIN}/slow`, { method: 'POST', dispatcher: mock.agent })).body.text();
    expect(Date.now() - start).to.be.at.least(50);
  });
});

describe('testing kit: replaying', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  const BODY = 'data: {"text":"Grüße aus 東京"}\n\ndata: [DONE]\n\n';

  it('delivers a body in pieces of chunkSize bytes (7 by default), one per turn, counting them', async () => {
    answer(mock.agent, ORIGIN, '/v1/stream', { body: BODY });
    const dispatcher = replaying(mock.agent);
    const got = await pieces(dispatcher);
    const bytes = Buffer.from(BODY);
    expect(got).to.have.length(Math.ceil(bytes.length / 7));
    expect(got.every((p) => Buffer.byteLength(p, 'latin1') <= 7)).to.equal(true);
    expect(Buffer.from(got.join(''), 'latin1').toString('utf8')).to.equal(BODY);
    expect(dispatcher.delivered()).to.equal(got.length);
  });

  it('spaces pieces by intervalMs', async () => {
    answer(mock.agent, ORIGIN, '/v1/stream', { body: 'x'.repeat(40) });
    const start = Date.now();
    const got = await pieces(replaying(mock.agent, { chunkSize: 10, intervalMs: 15 }));
    expect(got).to.deep.equal(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(10), 'x'.repeat(10)]);
    expect(Date.now() - start).to.be.at.least(50);
  });

  it('goes silent after stallAfter bytes without ending the body, until the reader gives up', async () => {
    answer(mock.agent, ORIGIN, '/v1/stream', { body: 'abcdefghijklmnopqrstuvwxyz' });
    const dispatcher = replaying(mock.agent, { chunkSize: 4, stallAfter: 10 });
    const controller = new AbortController();
    const res = await request(`${ORIGIN}/v1/stream`, { method: 'POST', dispatcher, signal: controller.signal });
    const got: string[] = [];
    const reading = (async () => {
      for await (const piece of res.body) got.push(Buffer.from(piece as Uint8Array).toString());
    })().then(
      () => 'ended',
      () => 'aborted',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got.join('')).to.equal('abcdefghij');
    controller.abort();
    expect(await reading).to.equal('aborted');
    expect(dispatcher.delivered()).to.equal(3);
  });

  it('hands no further piece on once the reader has given up on the body', async () => {
    answer(mock.agent, ORIGIN, '/v1/stream', { body: 'y'.repeat(100) });
    const dispatcher = replaying(mock.agent, { chunkSize: 5, intervalMs: 5 });
    const controller = new AbortController();
    const res = await request(`${ORIGIN}/v1/stream`, { method: 'POST', dispatcher, signal: controller.signal });
    const outcome = await (async () => {
      for await (const _piece of res.body) controller.abort();
    })().then(
      () => 'ended',
      () => 'aborted',
    );
    expect(outcome).to.equal('aborted');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(dispatcher.delivered()).to.be.lessThan(3);
  });
});

describe('testing kit: agentPerTest and providerPerTest', () => {
  it('gives each test its own agent, with net connect disabled, and none outside a test', async () => {
    const hooks = fakeHooks();
    const mock = agentPerTest(hooks);
    expect(hooks.before).to.have.length(1);
    expect(hooks.after).to.have.length(1);
    expect(() => mock.agent).to.throw(/only while a test runs/);

    await hooks.before[0]!();
    const first = mock.agent;
    const error = await failure(first.request({ origin: 'http://127.0.0.1:9', path: '/', method: 'GET' }));
    expect((error as { code?: string }).code).to.equal('UND_MOCK_ERR_MOCK_NOT_MATCHED');
    await hooks.after[0]!();
    expect(() => mock.agent).to.throw(/only while a test runs/);

    await hooks.before[0]!();
    expect(mock.agent).to.not.equal(first);
    await hooks.after[0]!();
  });

  it('fails the test after it when an interceptor was never used', async () => {
    const hooks = fakeHooks();
    const mock = agentPerTest(hooks);
    await hooks.before[0]!();
    answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: {} });
    const error = await failure(Promise.resolve(hooks.after[0]!()));
    expect(String(error)).to.match(/1 interceptor is pending/);
  });

  it('builds a provider per test on the agent, or on a replaying dispatcher over it', async () => {
    const hooks = fakeHooks();
    const built: Dispatcher[] = [];
    const mock = providerPerTest(hooks, async (dispatcher) => (built.push(dispatcher), { dispatcher }), { chunkSize: 3 });
    expect(() => mock.provider).to.throw(/only while a test runs/);
    for (const fn of hooks.before) await fn();
    expect(mock.provider.dispatcher).to.equal(built[0]);
    expect(built[0]).to.not.equal(mock.agent);
    answer(mock.agent, ORIGIN, '/v1/stream', { body: 'abcdefgh' });
    expect(await pieces(mock.provider.dispatcher)).to.deep.equal(['abc', 'def', 'gh']);
    for (const fn of hooks.after) await fn();
    expect(() => mock.provider).to.throw(/only while a test runs/);
  });
});

describe('testing kit: outcomes and services', () => {
  it('rejection returns the coded error a promise rejects with', async () => {
    const error = createError('GW_ERR_UPSTREAM_ERROR', 'boom');
    expect(await rejection(Promise.reject(error))).to.equal(error);
  });

  it('rejection fails when the promise resolves, or rejects with something that is not a GatewayError', async () => {
    const resolved = await failure(rejection(Promise.resolve({ fine: true })));
    expect(resolved).to.be.instanceOf(AssertionError);
    expect((resolved as Error).message).to.equal('expected a rejection, got {"fine":true}');
    const plain = await failure(rejection(Promise.reject(new Error('plain'))));
    expect(plain).to.be.instanceOf(AssertionError);
    expect((plain as Error).message).to.equal('expected a GatewayError, got Error: plain');
  });

  it('chatStreamRequest asks for a stream with usage; chunkBodies drops the envelope and keeps usage only where sent', () => {
    expect(chatStreamRequest('m-1', { temperature: 0.5 })).to.deep.equal({
      model: 'm-1',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.5,
    });
    const envelope = { id: 'c', object: 'chat.completion.chunk' as const, created: 1, model: 'm' };
    const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
    expect(chunkBodies([{ ...envelope, choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }] }, { ...envelope, choices: [], usage }])).to.deep.equal([
      { choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }] },
      { choices: [], usage },
    ]);
  });

  it('bytesThrough counts the UTF-8 bytes up to and including a marker, and fails on a missing one', () => {
    expect(bytesThrough('data: "東京"\n\ndata: x\n\n', '"\n\n')).to.equal(Buffer.byteLength('data: "東京"\n\n'));
    expect(() => bytesThrough('data: x', 'nowhere')).to.throw(AssertionError, /marker not found: nowhere/);
  });

  it('readThenAbort aborts a stalled stream shortly after the condition holds, keeping what arrived', async () => {
    const controller = new AbortController();
    async function* stalled(): AsyncGenerator<string> {
      yield 'role';
      yield 'Hello';
      await new Promise((_resolve, reject) => controller.signal.addEventListener('abort', () => reject(new Error('aborted'))));
    }
    const read = await readThenAbort(stalled(), controller, (items) => items.includes('Hello'));
    expect(read.items).to.deep.equal(['role', 'Hello']);
    expect(String(read.error)).to.equal('Error: aborted');
    expect(read.elapsedMs).to.be.within(15, 1000);
  });

  it('readThenAbort aborts after safetyMs when the condition never holds, and reports a clean end', async () => {
    const stalling = new AbortController();
    async function* silent(): AsyncGenerator<string> {
      yield 'role';
      await new Promise((_resolve, reject) => stalling.signal.addEventListener('abort', () => reject(new Error('safety'))));
    }
    const read = await readThenAbort(silent(), stalling, () => false, { safetyMs: 40 });
    expect(read.items).to.deep.equal(['role']);
    expect(String(read.error)).to.equal('Error: safety');
    const ended = await readThenAbort((async function* () { yield 1; })(), new AbortController(), () => true, { delayMs: 1 });
    expect(ended).to.deep.include({ items: [1], error: undefined });
  });

  it('drain keeps what arrived before a failure', async () => {
    async function* cut(): AsyncGenerator<number> {
      yield 1;
      yield 2;
      throw new Error('cut');
    }
    const { items, error } = await drain(cut());
    expect(items).to.deep.equal([1, 2]);
    expect(String(error)).to.equal('Error: cut');
    expect(await drain((async function* () { yield 'a'; })())).to.deep.equal({ items: ['a'], error: undefined });
  });

  it('services: a fixed clock and test names by default, each overridable', async () => {
    const agent = newAgent();
    const defaults = services(agent);
    expect(defaults).to.deep.include({ dispatcher: agent, providerName: 'test-provider', endpoint: 'test-endpoint', model: 'test-model' });
    expect(defaults.clock.now()).to.equal(1_700_000_000_000);
    const lines: LogLine[] = [];
    const custom = services(agent, { model: 'gpt-4o-mini', providerName: 'acme', endpoint: 'chat', now: 42, logger: recordingLogger(lines) });
    expect(custom).to.deep.include({ model: 'gpt-4o-mini', providerName: 'acme', endpoint: 'chat' });
    expect(custom.clock.now()).to.equal(42);
    custom.logger.child({}).warn('careful', { endpoint: 'e' });
    expect(lines).to.deep.equal([{ level: 'warn', message: 'careful', meta: { endpoint: 'e' } }]);
    await agent.close();
  });

  it('is exported from the ./testing entry point without naming any provider', () => {
    expect(Object.keys(testing)).to.include.members([
      'fixtureFiles', 'sseBody', 'newAgent', 'releaseAgent', 'agentPerTest', 'providerPerTest', 'answer', 'Captured',
      'replaying', 'instanceOf', 'services', 'recordingLogger', 'rejection', 'drain', 'bytesThrough', 'readThenAbort', 'chatStreamRequest', 'chunkBodies',
    ]);
  });
});
