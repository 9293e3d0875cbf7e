import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestGateway } from '@gatehousejs/core/testing';
import mock from '@gatehousejs/provider-mock';
import rateLimit from '../src/index.js';
import type { TestGateway } from '@gatehousejs/core/testing';
import anthropic from '@gatehousejs/provider-anthropic';
import { ask, chat, post, startGateway, testKeys } from './helpers.js';

const minute = (calls: number, extra: Record<string, unknown> = {}) => ({ limit: { renewal_period: 'minute', calls, ...extra } });

describe('rate limits (memory store)', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  it('counts an endpoint once whichever route reaches it, then answers 429 with Retry-After and the headers', async () => {
    gw = await startGateway({
      endpoints: [chat('limited', minute(3))],
      routes: [{ name: 'split', task_type: 'llm/v1/chat', destinations: [{ name: 'limited', traffic_percentage: 100 }] }],
    });
    const first = await post(`${gw.url}/v1/chat/completions`, ask('limited'));
    const second = await post(`${gw.url}/endpoints/limited/invocations`, { messages: [{ role: 'user', content: 'Hi' }] });
    const third = await post(`${gw.url}/v1/chat/completions`, ask('split'));
    const refused = await post(`${gw.url}/gateway/limited/invocations`, { messages: [{ role: 'user', content: 'Hi' }] });
    expect([first.status, second.status, third.status, refused.status]).to.deep.equal([200, 200, 200, 429]);
    expect([first, second, third].map((r) => r.headers.get('x-ratelimit-remaining-requests'))).to.deep.equal(['2', '1', '0']);
    expect(first.headers.get('x-ratelimit-limit-requests')).to.equal('3');
    expect(first.headers.get('x-ratelimit-reset-requests')).to.match(/^(\d+(\.\d+)?s|\d+ms)$/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).to.be.within(1, 60);
    expect(refused.headers.get('x-ratelimit-remaining-requests')).to.equal('0');
    expect(refused.json().error).to.include({ type: 'rate_limit_error', code: 'rate_limited' });
    expect(refused.json().error.message).to.equal('Rate limit reached for endpoint "limited": 3 calls per minute.');
  });

  it('counts native passthrough routes against the same endpoint counter', async () => {
    gw = await startGateway({ endpoints: [chat('limited', minute(2))] }, [anthropic]);
    const messages = async () => {
      const res = await fetch(`${gw!.url}/gateway/anthropic/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'sk-alpha', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'limited', max_tokens: 20, messages: [{ role: 'user', content: 'Hi' }] }),
      });
      await res.arrayBuffer();
      return res;
    };
    expect((await messages()).status).to.equal(200);
    expect((await post(`${gw.url}/v1/chat/completions`, ask('limited'))).status).to.equal(200);
    const refused = await messages();
    expect(refused.status).to.equal(429);
    expect(refused.headers.get('retry-after')).to.match(/^\d+$/);
    expect(refused.headers.get('x-ratelimit-remaining-requests')).to.equal('0');
  });

  it('with limit.key "user", keeps one counter per caller', async () => {
    gw = await startGateway({ endpoints: [chat('per-user', minute(1, { key: 'user' }))] });
    expect((await post(`${gw.url}/v1/chat/completions`, ask('per-user'), 'sk-alpha')).status).to.equal(200);
    expect((await post(`${gw.url}/v1/chat/completions`, ask('per-user'), 'sk-beta')).status).to.equal(200);
    const refused = await post(`${gw.url}/v1/chat/completions`, ask('per-user'), 'sk-alpha');
    expect(refused.status).to.equal(429);
    expect(refused.json().error.message).to.contain('for this caller');
  });

  it('checks a fallback against its own limit', async () => {
    gw = await startGateway({ endpoints: [chat('primary', { ...minute(1), fallbacks: ['backup'] }), chat('backup', minute(1))] });
    const answered = [];
    for (let i = 0; i < 3; i++) {
      const reply = await post(`${gw.url}/v1/chat/completions`, ask('primary'));
      answered.push(reply.status === 200 ? reply.headers.get('x-gatehouse-endpoint') : reply.status);
    }
    expect(answered).to.deep.equal(['primary', 'backup', 429]);
  });

  it('limits a key by its own limits, others by rate_limits.keys, and never the anonymous caller', async () => {
    gw = await startGateway({ endpoints: [chat('open')], rate_limits: { keys: { requests: { calls: 1, renewal_period: 'hour' } } } });
    const statuses = async (key: string, times: number) => {
      const out: number[] = [];
      for (let i = 0; i < times; i++) out.push((await post(`${gw!.url}/v1/chat/completions`, ask('open'), key)).status);
      return out;
    };
    expect(await statuses('sk-alpha', 2)).to.deep.equal([200, 429]);
    expect(await statuses('sk-own-limits', 3)).to.deep.equal([200, 200, 429]);
    expect(await statuses('sk-anonymous', 3)).to.deep.equal([200, 200, 200]);
    const refused = await post(`${gw.url}/v1/chat/completions`, ask('open'), 'sk-alpha');
    expect(refused.json().error.message).to.equal('Rate limit reached for key "key-alpha": 1 request per hour.');
    expect(Number(refused.headers.get('retry-after'))).to.be.above(1);
  });

  it("counts a key's requests and tokens once per request, however many targets it tries", async () => {
    gw = await startGateway({
      endpoints: [
        { ...chat('flaky', { fallbacks: ['steady'] }), model: { provider: 'mock', name: 'gpt-4o-mini', config: { faults: { status: 503 } } } },
        chat('steady'),
      ],
      rate_limits: { keys: { requests: { calls: 2, renewal_period: 'minute' }, tokens: { tokens: 10_000, renewal_period: 'minute' } } },
    });
    const first = await post(`${gw.url}/v1/chat/completions`, ask('flaky', 'Hi', { max_tokens: 5 }));
    expect(first.status).to.equal(200);
    expect(first.headers.get('x-gatehouse-endpoint')).to.equal('steady');
    expect(first.headers.get('x-ratelimit-remaining-requests')).to.equal('1');
    const reserved = 10_000 - Number(first.headers.get('x-ratelimit-remaining-tokens'));
    expect(reserved).to.be.within(6, 30);
    expect((await post(`${gw.url}/v1/chat/completions`, ask('flaky'))).status).to.equal(200);
    expect((await post(`${gw.url}/v1/chat/completions`, ask('flaky'))).status).to.equal(429);
  });

  it('counts nothing for a refused request: the endpoint keeps its calls when the key is out', async () => {
    gw = await startGateway({ endpoints: [chat('shared', minute(2))], rate_limits: { keys: { requests: { calls: 1, renewal_period: 'minute' } } } });
    expect((await post(`${gw.url}/v1/chat/completions`, ask('shared'), 'sk-alpha')).status).to.equal(200);
    expect((await post(`${gw.url}/v1/chat/completions`, ask('shared'), 'sk-alpha')).status).to.equal(429);
    const other = await post(`${gw.url}/v1/chat/completions`, ask('shared'), 'sk-beta');
    expect(other.status).to.equal(200);
    expect(other.headers.get('x-ratelimit-remaining-requests')).to.equal('0');
  });

  it('sends no rate-limit headers where no limit applies', async () => {
    gw = await startGateway({ endpoints: [chat('free')] });
    const reply = await post(`${gw.url}/v1/chat/completions`, ask('free'));
    expect(reply.status).to.equal(200);
    expect(reply.headers.get('x-ratelimit-limit-requests')).to.equal(null);
  });

  it('applies new limits on a hot reload, to the window in progress; a store change waits for a restart', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-rl-'));
    const file = path.join(dir, 'gatehouse.json');
    const config = (calls: number, store: string) => JSON.stringify({ endpoints: [chat('chat', minute(calls))], rate_limits: { store } });
    try {
      await writeFile(file, config(1, 'memory'));
      gw = await startTestGateway({ configPath: file, watch: false, discover: false, providers: [mock], plugins: [{ definition: testKeys }, { definition: rateLimit }] });
      expect((await post(`${gw.url}/v1/chat/completions`, ask('chat'))).status).to.equal(200);
      expect((await post(`${gw.url}/v1/chat/completions`, ask('chat'))).status).to.equal(429);
      await writeFile(file, config(2, 'redis'));
      expect(await gw.gateway.reload()).to.equal(true);
      const after = await post(`${gw.url}/v1/chat/completions`, ask('chat'));
      expect(after.status).to.equal(200);
      expect(after.headers.get('x-ratelimit-limit-requests')).to.equal('2');
      expect(gw.logs.some((line) => line.includes('restart the gateway to apply them'))).to.equal(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses at start-up a limit.key it does not know, naming the endpoint', async () => {
    let error: Error | undefined;
    try {
      gw = await startGateway({ endpoints: [chat('odd', minute(1, { key: 'ip' }))] });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).to.match(/Endpoint "odd": limit.key must be "user"/);
  });

  it('validates rate_limits with the config (unknown keys and bad values named)', async () => {
    let error: Error | undefined;
    try {
      gw = await startGateway({ endpoints: [chat('x', { max_output_tokens: 0 })], rate_limits: { store: 'disk', keys: { tokens: { tokens: 5 } } } });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).to.contain('/rate_limits/store');
    expect(error?.message).to.contain('/rate_limits/keys/tokens');
    expect(error?.message).to.contain('/endpoints/0/max_output_tokens');
  });
});
