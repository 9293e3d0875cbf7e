// Budgets end to end: the Anthropic SDK refused in Anthropic's own shape on the native route,
// separate gateway processes sharing one Redis, the workers of `gatehouse start --workers 2`
// sharing the primary's counters, and `gatehouse budgets` reading what they spent.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import Anthropic1 from 'anthropic-sdk-1';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { CliProcess, cleanEnv, freePort, runNode } from './helpers/cli.js';
import { createDeployment, type Deployment } from './helpers/deployment.js';
import { CLI } from './helpers/paths.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const AMOUNT = 0.1;
/** Every mock word costs USD 0.001: a call says about ten. */
const PRICES = `prices: { gpt-4o-mini: { input: 1000, output: 1000 } }, flush_interval_ms: 50`;

/** Each test its own usage records: memory budgets rebuild their spend from them at start-up. */
function configYaml(dataDir: string, budgets: string): string {
  return `endpoints:
  - name: chat
    endpoint_type: llm/v1/chat
    model: { provider: mock, name: gpt-4o-mini }
usage: { data_dir: ${dataDir}, ${PRICES} }
budgets: ${budgets}
`;
}

const body = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 10, mock: { delay_ms: 50 } });

/** Concurrent bursts spread over the urls until one is refused whole; the cost of what was admitted. */
async function spendAll(urls: readonly string[]): Promise<{ spent: number; oneRequest: number; refused: number }> {
  let spent = 0;
  let oneRequest = 0;
  let refused = 0;
  for (let round = 0; round < 10; round++) {
    const replies = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const res = await fetch(`${urls[i % urls.length]}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) });
        return { status: res.status, json: (await res.json()) as { usage?: { total_tokens: number }; error?: { message: string } } };
      }),
    );
    for (const reply of replies) {
      if (reply.status === 200) {
        const cost = reply.json.usage!.total_tokens * 0.001;
        spent += cost;
        oneRequest = Math.max(oneRequest, cost);
      } else {
        expect(reply.status).to.equal(429);
        expect(reply.json.error!.message).to.match(/^Budget "shared" \(USD 0\.10 per day, Europe\/Paris\) .*; it resets at \d{4}-\d\d-\d\dT00:00:00\+01:00\.$/);
        refused++;
      }
    }
    if (replies.every((r) => r.status === 429)) break;
  }
  return { spent, oneRequest, refused };
}

describe('budgets end to end', function () {
  this.timeout(60_000);
  let deployment: Deployment;
  const children: CliProcess[] = [];

  before(async function () {
    deployment = await createDeployment({
      dependencies: ['@gatehousejs/provider-mock', '@gatehousejs/provider-anthropic', '@gatehousejs/plugin-usage', '@gatehousejs/plugin-budgets'],
    });
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

  const shared = (store: string) => `{ ${store}, limits: [{ name: shared, amount_usd: ${AMOUNT}, window: day, time_zone: Europe/Paris, scope: gateway }] }`;

  it('two gateway processes on one Redis share the spend: a burst on both overshoots by less than one request, and `gatehouse budgets` reads it', async function () {
    const prefix = `gatehouse-e2e:budgets:${randomBytes(4).toString('hex')}:`;
    const config = await deployment.write('redis.yaml', configYaml('redis-data', shared(`store: redis, redis_url: '${REDIS_URL}', redis_prefix: '${prefix}'`)));
    const urls = await Promise.all([start(config), start(config)]);
    const { spent, oneRequest, refused } = await spendAll(urls);
    expect(refused).to.be.greaterThan(0);
    expect(spent).to.be.within(AMOUNT - 2 * oneRequest, AMOUNT + oneRequest);
    // Reconciled after each answer: give the last ones a moment.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cli = await runNode([CLI, 'budgets', '--config', config, '--json'], deployment.dir, 20_000, cleanEnv());
    expect(cli.code, cli.stderr).to.equal(0);
    const [budget] = (JSON.parse(cli.stdout) as { budgets: { name: string; spent_usd: number; remaining_usd: number }[] }).budgets;
    expect(budget!.name).to.equal('shared');
    expect(budget!.spent_usd).to.be.closeTo(spent, 1e-9);
    const table = await runNode([CLI, 'budgets', '--config', config], deployment.dir, 20_000, cleanEnv());
    expect(table.stdout).to.match(/^BUDGET\s+SCOPE\s+ACTION\s+WINDOW\s+AMOUNT USD\s+SPENT USD\s+REMAINING USD\s+RESETS AT\n/);
    expect(table.stdout).to.match(/shared\s+gateway\s+reject\s+day \(Europe\/Paris\)\s+0\.10\s+0\.\d\d\s+0\.\d\d\s+\d{4}-/);
  });

  it('gatehouse start --workers 2 on the memory store shares the spend through the primary', async function () {
    const config = await deployment.write('workers.yaml', configYaml('workers-data', shared('store: memory')));
    const url = await start(config, ['--workers', '2'], 2);
    const { spent, oneRequest, refused } = await spendAll([url]);
    expect(refused).to.be.greaterThan(0);
    expect(spent).to.be.within(AMOUNT - 2 * oneRequest, AMOUNT + oneRequest);
  });

  describe('on the Anthropic native route', function () {
    let gw: TestGateway;
    before(async function () {
      const config = await deployment.write('native.yaml', configYaml('native-data', `{ limits: [{ name: tiny, amount_usd: 0.02, window: hour, scope: { endpoint: chat } }] }`));
      gw = await startTestGateway({ configPath: config, watch: false, cwd: deployment.dir });
    });
    after(() => gw?.close());

    it("refuses in Anthropic's shape: the SDK raises its RateLimitError with the budget's message and Retry-After", async function () {
      const client = new Anthropic1({ baseURL: `${gw.url}/gateway/anthropic`, apiKey: 'unused', maxRetries: 0 });
      const ask = () => client.messages.create({ model: 'chat', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] });
      expect((await ask()).content[0]).to.have.property('type', 'text');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const error = await ask().then(
        () => undefined,
        (e: unknown) => e as InstanceType<typeof Anthropic1.APIError>,
      );
      expect(error).to.be.instanceOf(Anthropic1.RateLimitError);
      expect(error!.status).to.equal(429);
      expect(Number(error!.headers?.get('retry-after'))).to.be.within(1, 3600);
      expect(error!.error).to.deep.include({ type: 'error' });
      const inner = (error!.error as { error: { type: string; message: string } }).error;
      expect(inner.type).to.equal('rate_limit_error');
      expect(inner.message).to.match(/^Budget "tiny" \(USD 0\.02 per hour, UTC\) .*; it resets at \d{4}-\d\d-\d\dT\d\d:00:00\+00:00\.$/);
    });
  });
});
