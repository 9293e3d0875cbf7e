// The read side and the edges of the record: query validation (400s naming the parameter),
// /metrics, the `gatehouse usage` command, bodies with secrets redacted, config and reloads.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCliCommand, startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import mock from '@gatehousejs/provider-mock';
import usage from '../src/index.js';
import {
  allRecords,
  ENDPOINTS,
  getJson,
  PROVIDER_SECRET,
  send,
  sendAll,
  silent,
  sleep,
  startUsageGateway,
  tempDir,
  TEST_PRICES,
  testAuth,
  trafficMix,
  waitFor,
} from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const KEY = { authorization: 'Bearer sk-caller-alpha-000111222' };

const runUsage = (gw: TestGateway, argv: string[]) => runCliCommand(gw, 'usage', argv);

describe('usage read side: HTTP, metrics and the CLI', function () {
  this.timeout(30_000);
  const tmp = tempDir();
  let gw: TestGateway;
  const calls = trafficMix();

  before(async () => {
    gw = await startUsageGateway({ usage: { data_dir: tmp.dir, flush_interval_ms: 50, prices: TEST_PRICES } });
    await sendAll(gw.url, calls);
    await waitFor('the records', async () => (await allRecords(gw.url, '', 1000)).length === calls.length);
  });

  after(async () => {
    await gw.close();
    tmp.remove();
  });

  it('answers a bad query parameter with a 400 that names it', async () => {
    const bad: [string, string][] = [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
      ['status=600', 'status'],
      ['status=teapot', 'status'],
      ['from=yesterday', 'from'],
      ['from=2024-13-45', 'from'],
      ['from=2h&to=3h', 'from'],
      ['cursor=not!base64', 'cursor'],
      ['cursor=bm90IGEgY3Vyc29y', 'cursor'],
      ['endpoint=a&endpoint=b', 'endpoint'],
      ['bogus=1', 'bogus'],
    ];
    for (const [query, param] of bad) {
      const { status, body } = await getJson<{ error: { param: string; code: string; message: string } }>(gw.url, `/api/usage/requests?${query}`);
      expect(status, query).to.equal(400);
      expect(body.error, query).to.include({ param, code: 'bad_request' });
      expect(body.error.message, query).to.contain(`"${param}"`);
    }
    const summary = await getJson<{ error: { param: string } }>(gw.url, '/api/usage/summary?group_by=week');
    expect(summary.status).to.equal(400);
    expect(summary.body.error.param).to.equal('group_by');
    expect((await getJson(gw.url, '/api/usage/summary?group_by=day&from=7d&to=2999-01-01')).status).to.equal(200);
  });

  it('summarises by time bucket in UTC', async () => {
    const { body } = await getJson<{ group_by: string; groups: { group: string; requests: number }[] }>(gw.url, '/api/usage/summary?group_by=minute');
    expect(body.group_by).to.equal('minute');
    expect(body.groups.reduce((s, g) => s + g.requests, 0)).to.equal(calls.length);
    for (const g of body.groups) expect(g.group).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
  });

  it('serves Prometheus metrics from its own registry', async () => {
    const res = await fetch(`${gw.url}/metrics`);
    expect(res.headers.get('content-type')).to.contain('text/plain');
    const text = await res.text();
    for (const series of [
      'gatehouse_requests_total{endpoint="chat",provider="mock",status="200"}',
      'gatehouse_requests_total{endpoint="",provider="",status="404"} 1',
      'gatehouse_request_duration_seconds_bucket{le="0.005",endpoint="chat",provider="mock"}',
      'gatehouse_upstream_duration_seconds_count{endpoint="chat",provider="mock"}',
      // six streams, and the one that failed after its first chunks
      'gatehouse_time_to_first_token_seconds_count{endpoint="chat",provider="mock"} 7',
      'gatehouse_tokens_total{endpoint="chat",provider="mock",model="gpt-4o-mini",kind="prompt"}',
      'gatehouse_tokens_total{endpoint="chat",provider="mock",model="gpt-4o-mini",kind="completion"}',
      'gatehouse_cost_usd_total{endpoint="chat",provider="mock",model="gpt-4o-mini"}',
      'gatehouse_requests_in_flight 0',
      'gatehouse_upstream_errors_total{endpoint="chat",provider="mock",code="GW_ERR_UPSTREAM_ERROR"} 3',
      'gatehouse_rate_limited_total{endpoint="chat",provider="mock"} 1',
      'gatehouse_rate_limited_total{endpoint="chat-b",provider="mock"} 1',
      'gatehouse_usage_records_dropped_total 0',
      'gatehouse_usage_queue_depth 0',
      'gatehouse_process_cpu_seconds_total',
    ]) {
      expect(text).to.contain(series);
    }
  });

  it('counts requests in flight from onRequest to onResponse', async () => {
    const stream = send(gw.url, { id: 'flight', path: '/v1/chat/completions', body: { model: 'slow', stream: true, messages: [{ role: 'user', content: 'a b c d e f g h' }] }, headers: KEY });
    await waitFor('one request in flight', async () => (await (await fetch(`${gw.url}/metrics`)).text()).includes('gatehouse_requests_in_flight 1'));
    expect((await stream).status).to.equal(200);
    expect(await (await fetch(`${gw.url}/metrics`)).text()).to.contain('gatehouse_requests_in_flight 0');
  });

  it('`gatehouse usage` prints the summary as a table', async () => {
    const byEndpoint = await runUsage(gw, ['--group-by', 'endpoint', '--since', '1h']);
    expect(byEndpoint.code).to.equal(0);
    const lines = byEndpoint.out.split('\n');
    expect(lines[0]).to.match(/^Usage by endpoint, since \d{4}-.*Z \(sqlite: .*usage\.sqlite\)$/);
    expect(lines[2]).to.match(/^ENDPOINT\s+REQUESTS\s+ERRORS\s+ERROR %\s+P50 MS\s+P90 MS\s+P99 MS\s+PROMPT TOK\s+COMPL TOK\s+TOTAL TOK\s+COST USD$/);
    const chatRow = lines.find((l) => l.startsWith('chat '))!;
    const api = (await getJson<{ groups: { group: string; requests: number; errors: number }[] }>(gw.url, '/api/usage/summary?group_by=endpoint')).body.groups;
    const chat = api.find((g) => g.group === 'chat')!;
    expect(chatRow.split(/\s+/).slice(1, 3)).to.deep.equal([String(chat.requests), String(chat.errors)]);
    expect(byEndpoint.out).to.contain('(none)'); // the unknown endpoint's 404

    const everything = await runUsage(gw, ['--group-by', 'none', '--since', '1h']);
    const allRow = everything.out.split('\n').find((l) => l.startsWith('all '))!;
    const total = api.reduce((sum, g) => sum + g.requests, 0);
    expect(everything.out.split('\n')[2]).to.match(/^SCOPE\s+REQUESTS/);
    expect(allRow.split(/\s+/)[1]).to.equal(String(total));

    const json = await runUsage(gw, ['--group-by', 'model', '--json', '--config', 'ignored.yaml']);
    expect(JSON.parse(json.out).groups.map((g: { group: string }) => g.group)).to.include('gpt-4o-mini');

    const bad = await runUsage(gw, ['--since', 'last tuesday']);
    expect(bad.code).to.equal(2);
    expect(bad.err).to.contain('--since');
    const unknown = await runUsage(gw, ['--frobnicate']);
    expect(unknown.code).to.equal(2);
    expect(unknown.err).to.contain('frobnicate');
    const empty = await runUsage(gw, ['--since', '2000-01-01', '--until', '2000-01-02']);
    expect(empty.out).to.contain('No requests recorded in this period.');
  });

  it('`gatehouse usage` works from the real command line, on the same data directory', async () => {
    const config = path.join(tmp.dir, 'cli.yaml');
    writeFileSync(config, `plugins:\n  - ${JSON.stringify(path.join(ROOT, 'plugins/usage'))}\nendpoints: []\nusage:\n  data_dir: ${JSON.stringify(tmp.dir)}\n`);
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'core/bin/gatehouse.js'), 'usage', '--config', config, '--group-by', 'provider'], { cwd: tmp.dir, timeout: 20_000 });
    expect(stdout).to.match(/^PROVIDER\s+REQUESTS/m);
    expect(stdout).to.match(/^mock\s+\d+/m);
    expect(stdout).to.match(/^silent\s+2\s/m);
  });
});

describe('usage records: bodies, secrets and config', function () {
  this.timeout(30_000);

  it('records bodies only when asked, with secrets redacted, and never writes a secret to disk', async () => {
    const tmp = tempDir();
    try {
      const gw = await startUsageGateway({ usage: { data_dir: tmp.dir, flush_interval_ms: 50, record_bodies: true, max_body_bytes: 512 } });
      const leaky = `my provider key is ${PROVIDER_SECRET} and my openai key is sk-proj-abcdef1234567890`;
      await send(gw.url, { id: 'b-1', path: '/v1/chat/completions', body: { model: 'quiet', messages: [{ role: 'user', content: leaky }] }, headers: { ...KEY, 'x-gatehouse-metadata': JSON.stringify({ user: 'sk-live-0123456789abcdef', tags: [PROVIDER_SECRET] }) } });
      await send(gw.url, { id: 'b-2', path: '/v1/chat/completions', body: { model: 'chat', stream: true, messages: [{ role: 'user', content: 'stream body' }] }, headers: KEY });
      await send(gw.url, { id: 'b-3', path: '/v1/chat/completions', body: { model: 'chat', messages: [{ role: 'user', content: 'long '.repeat(400) }] }, headers: KEY });
      await waitFor('3 records', async () => (await allRecords(gw.url)).length === 3);
      const records = Object.fromEntries((await allRecords(gw.url)).map((r) => [r.request_id, r]));
      const text = JSON.stringify(records);
      for (const secret of [PROVIDER_SECRET, 'sk-proj-abcdef1234567890', 'sk-live-0123456789abcdef', 'sk-caller-alpha-000111222']) expect(text).to.not.contain(secret);
      expect(JSON.stringify(records['b-1']!.request_body)).to.contain('[REDACTED]');
      expect(records['b-1']).to.include({ user: '[REDACTED]' });
      expect(records['b-1']!.tags).to.deep.equal(['[REDACTED]']);
      expect(records['b-2']!.response_body).to.deep.equal({ stream: true, content: 'This is a mock response from Gatehouse to: stream body' });
      expect(records['b-3']!.request_body).to.be.a('string').and.to.match(/…\[truncated\]$/);
      await gw.close();
      const files = readdirSync(tmp.dir).filter((f) => f.startsWith('usage.sqlite'));
      expect(files).to.include('usage.sqlite');
      for (const file of files) {
        const bytes = readFileSync(path.join(tmp.dir, file)).toString('latin1');
        for (const secret of [PROVIDER_SECRET, 'sk-proj-abcdef1234567890', 'sk-caller-alpha-000111222']) expect(bytes, file).to.not.contain(secret);
      }
    } finally {
      tmp.remove();
    }
  });

  it('usage.enabled: false records nothing and opens no store; metrics stay', async () => {
    const tmp = tempDir();
    try {
      const gw = await startUsageGateway({ usage: { enabled: false, data_dir: tmp.dir } });
      expect((await send(gw.url, { id: 'x', path: '/v1/chat/completions', body: { model: 'chat', messages: [{ role: 'user', content: 'hi' }] }, headers: KEY })).status).to.equal(200);
      const res = await getJson<{ error: { message: string } }>(gw.url, '/api/usage/requests');
      expect(res.status).to.equal(501);
      expect(res.body.error.message).to.contain('usage.enabled');
      expect(await (await fetch(`${gw.url}/metrics`)).text()).to.contain('gatehouse_requests_total{endpoint="chat",provider="mock",status="200"} 1');
      await gw.close();
      expect(readdirSync(tmp.dir)).to.deep.equal([]);
    } finally {
      tmp.remove();
    }
  });

  it('rejects an invalid usage config at start-up, naming the key', async () => {
    const attempts: [Record<string, unknown>, RegExp][] = [
      [{ stroe: 'sqlite' }, /\/usage.*unknown key "stroe"/],
      [{ store: 'mysql' }, /\/usage\/store/],
      [{ batch_size: 5000 }, /\/usage\/batch_size/],
      [{ prices: { 'openai/gpt-x': { input: 1 } } }, /\/usage\/prices\/openai~1gpt-x.*output/],
    ];
    for (const [config, message] of attempts) {
      const error = await startUsageGateway({ usage: config }).then(
        (gw) => gw.close().then(() => undefined),
        (e: Error) => e,
      );
      expect(error?.message, JSON.stringify(config)).to.match(message);
    }
    const unset = await startUsageGateway({ usage: { store: 'postgres', database_url: '$GATEHOUSE_TEST_UNSET_DB_URL' } }).catch((e: Error) => e);
    expect((unset as Error).message).to.contain('GATEHOUSE_TEST_UNSET_DB_URL');
  });

  it('applies new prices and body settings on a hot reload; store changes wait for a restart', async () => {
    const tmp = tempDir();
    const file = path.join(tmp.dir, 'gatehouse.json');
    const write = (usageConfig: Record<string, unknown>) => writeFileSync(file, JSON.stringify({ endpoints: ENDPOINTS.slice(0, 1), usage: { data_dir: tmp.dir, flush_interval_ms: 50, ...usageConfig } }));
    write({ prices: { 'mock/gpt-4o-mini': { input: 1000, output: 1000 } } });
    const gw = await startTestGateway({ configPath: file, watch: false, providers: [mock, silent], plugins: [{ definition: testAuth }, { definition: usage }], discover: false });
    try {
      const ask = (id: string) => send(gw.url, { id, path: '/v1/chat/completions', body: { model: 'chat', messages: [{ role: 'user', content: 'one two three' }] }, headers: KEY });
      await ask('before');
      write({ prices: { 'mock/gpt-4o-mini': { input: 2000, output: 2000 } }, record_bodies: true });
      expect(await gw.gateway.reload()).to.equal(true);
      await ask('after');
      await waitFor('2 records', async () => (await allRecords(gw.url)).length === 2);
      const records = Object.fromEntries((await allRecords(gw.url)).map((r) => [r.request_id, r]));
      expect(records.after!.cost_usd).to.be.closeTo(2 * records.before!.cost_usd!, 1e-12);
      expect(records.before!.request_body).to.equal(null);
      expect(records.after!.request_body).to.not.equal(null);
      write({ data_dir: path.join(tmp.dir, 'elsewhere') });
      expect(await gw.gateway.reload()).to.equal(true);
      await sleep(10);
      expect(gw.logs.join('\n')).to.contain('restart the gateway to apply them');
    } finally {
      await gw.close();
      tmp.remove();
    }
  });
});
