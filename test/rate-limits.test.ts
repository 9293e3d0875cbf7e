// Rate limits end to end: separate gateway processes sharing one Redis, the workers of
// `gatehouse start --workers 2` sharing the primary's counters, key limits from the keys plugin,
// and the official OpenAI SDK's handling of the 429s (RateLimitError, its retry after Retry-After).
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import Anthropic0 from 'anthropic-sdk-0';
import Anthropic1 from 'anthropic-sdk-1';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { CliProcess, cleanEnv, freePort } from './helpers/cli.js';
import { createDeployment, type Deployment } from './helpers/deployment.js';
import { openAIClient, rejection } from './helpers/openai-client.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMIT = 20;
const BURST = 60;

function configYaml(rateLimits: string, period = 'hour'): string {
  return `endpoints:
  - name: chat
    endpoint_type: llm/v1/chat
    model: { provider: mock, name: gpt-4o-mini }
    limit: { renewal_period: ${period}, calls: ${LIMIT} }
rate_limits: ${rateLimits}
`;
}

/** BURST concurrent chats spread over the urls; the statuses they got. */
async function burst(urls: readonly string[]): Promise<Record<number, number>> {
  const statuses = await Promise.all(
    Array.from({ length: BURST }, async (_, i) => {
      const res = await fetch(`${urls[i % urls.length]}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: `burst ${i}` }] }),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return res.status;
    }),
  );
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** Not within two seconds of an hour boundary, where a burst could straddle two windows. */
async function awayFromHourBoundary(): Promise<void> {
  const toBoundary = 3_600_000 - (Date.now() % 3_600_000);
  if (toBoundary < 2000) await new Promise((resolve) => setTimeout(resolve, toBoundary + 50));
}

describe('rate limits end to end', function () {
  this.timeout(30_000);
  let deployment: Deployment;
  const children: CliProcess[] = [];

  before(async function () {
    deployment = await createDeployment({ dependencies: ['@gatehousejs/provider-mock', '@gatehousejs/provider-anthropic', '@gatehousejs/plugin-rate-limit'] });
  });

  after(async function () {
    for (const child of children) await child.kill();
    await deployment?.remove();
  });

  async function start(config: string, extra: string[] = [], listeners = 1): Promise<string> {
    const port = await freePort();
    const child = new CliProcess(['start', '--config', config, '--host', '127.0.0.1', '--port', String(port), ...extra], cleanEnv(), deployment.dir);
    children.push(child);
    await child.waitFor(`${listeners} listening line(s)`, () => child.listening().length >= listeners);
    return `http://127.0.0.1:${port}`;
  }

  it(`two gateway processes on one Redis admit exactly ${LIMIT} of ${BURST} concurrent calls`, async function () {
    const prefix = `gatehouse-e2e:${randomBytes(4).toString('hex')}:`;
    const config = await deployment.write('redis.yaml', configYaml(`{ store: redis, redis_url: '${REDIS_URL}', redis_prefix: '${prefix}' }`));
    const urls = await Promise.all([start(config), start(config)]);
    await awayFromHourBoundary();
    expect(await burst(urls)).to.deep.equal({ 200: LIMIT, 429: BURST - LIMIT });
  });

  it(`gatehouse start --workers 2 on the memory store admits exactly ${LIMIT} of ${BURST} concurrent calls`, async function () {
    const config = await deployment.write('workers.yaml', configYaml('{ store: memory }'));
    const url = await start(config, ['--workers', '2'], 2);
    await awayFromHourBoundary();
    expect(await burst([url])).to.deep.equal({ 200: LIMIT, 429: BURST - LIMIT });
  });

  describe('with the keys plugin', function () {
    let keyed: Deployment;
    let gw: TestGateway;
    const KEY_A = 'sk-team-a-0123456789abcdef';
    const KEY_B = 'sk-team-b-0123456789abcdef';
    const messages = [{ role: 'user' as const, content: 'Hello' }];

    before(async function () {
      keyed = await createDeployment({ dependencies: ['@gatehousejs/provider-mock', '@gatehousejs/plugin-usage', '@gatehousejs/plugin-keys', '@gatehousejs/plugin-rate-limit'] });
      gw = await startTestGateway({
        cwd: keyed.dir,
        config: {
          endpoints: [{ name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'gpt-4o-mini' } }],
          keys: { keys: [{ name: 'team-a', key: KEY_A, limits: { requests: { calls: 2, renewal_period: 'hour' } } }, { name: 'team-b', key: KEY_B }] },
          rate_limits: { keys: { requests: { calls: 1, renewal_period: 'hour' }, tokens: { tokens: 100_000, renewal_period: 'hour' } } },
        },
      });
    });
    after(async () => {
      await gw?.close();
      await keyed?.remove();
    });

    it("limits each key by its own limits, else by rate_limits.keys (each kind on its own)", async function () {
      const a = openAIClient(gw.url, { apiKey: KEY_A });
      const b = openAIClient(gw.url, { apiKey: KEY_B });
      const { response } = await a.chat.completions.create({ model: 'chat', messages }).withResponse();
      expect(response.headers.get('x-ratelimit-limit-requests')).to.equal('2');
      expect(response.headers.get('x-ratelimit-limit-tokens')).to.equal('100000');
      await a.chat.completions.create({ model: 'chat', messages });
      expect(await rejection(a.chat.completions.create({ model: 'chat', messages }))).to.be.instanceOf(OpenAI.RateLimitError);
      await b.chat.completions.create({ model: 'chat', messages });
      const refused = await rejection(b.chat.completions.create({ model: 'chat', messages }));
      expect(refused).to.be.instanceOf(OpenAI.RateLimitError);
      expect(refused.message).to.match(/key "config:team-b": 1 request per hour/);
    });
  });

  describe('with the official OpenAI SDK', function () {
    let gw: TestGateway;
    const messages = [{ role: 'user' as const, content: 'Hello' }];

    before(async function () {
      gw = await startTestGateway({ cwd: deployment.dir, config: { endpoints: [{ name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'gpt-4o-mini' }, limit: { renewal_period: 'second', calls: 1 } }] } });
    });
    after(() => gw?.close());

    /** Just after a second starts, so that two quick calls fall in one window. */
    const startOfSecond = () => new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));

    it('gets a 429 as RateLimitError, with Retry-After and the x-ratelimit headers', async function () {
      const client = openAIClient(gw.url);
      await startOfSecond();
      const { response } = await client.chat.completions.create({ model: 'chat', messages }).withResponse();
      expect(response.headers.get('x-ratelimit-remaining-requests')).to.equal('0');
      const error = await rejection(client.chat.completions.create({ model: 'chat', messages }));
      expect(error).to.be.instanceOf(OpenAI.RateLimitError);
      expect(error.status).to.equal(429);
      expect(error.headers.get('retry-after')).to.equal('1');
      expect(error.headers.get('x-ratelimit-limit-requests')).to.equal('1');
      expect(error.headers.get('x-ratelimit-reset-requests')).to.match(/^\d+ms$/);
      expect(error.message).to.contain('Rate limit reached for endpoint "chat": 1 call per second.');
    });

    it("retries on its own after Retry-After and succeeds in the next window", async function () {
      const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 1, timeout: 10_000 });
      await startOfSecond();
      await client.chat.completions.create({ model: 'chat', messages });
      const started = Date.now();
      const answer = await client.chat.completions.create({ model: 'chat', messages });
      const waited = Date.now() - started;
      expect(answer.choices[0]?.message.content).to.be.a('string');
      // The SDK's own first backoff is at most 0.5 s: a wait of about a second is Retry-After's.
      expect(waited).to.be.within(900, 2500);
    });

    for (const [line, Sdk] of [
      ['0.x', Anthropic0],
      ['1.x', Anthropic1],
    ] as const) {
      it(`gives the Anthropic SDK ${line} its own RateLimitError on the native route, in Anthropic's shape`, async function () {
        // The two lines' create() overloads do not unify: call both through the shape they share.
        const client = new Sdk({ baseURL: `${gw.url}/gateway/anthropic`, apiKey: 'unused', maxRetries: 0 }) as unknown as {
          messages: { create(body: { model: string; max_tokens: number; messages: typeof messages }): Promise<unknown> };
        };
        const ask = () => client.messages.create({ model: 'chat', max_tokens: 20, messages });
        await startOfSecond();
        await ask();
        const error = (await ask().then(
          () => expect.fail('the second call in the second was admitted'),
          (e: unknown) => e,
        )) as { status: number; error: unknown; headers?: Headers };
        expect(error).to.be.instanceOf(Sdk.RateLimitError);
        expect(error.status).to.equal(429);
        expect((error.error as { type: string; error: { type: string } }).error.type).to.equal('rate_limit_error');
        expect(error.headers?.get('retry-after')).to.equal('1');
      });
    }
  });
});
