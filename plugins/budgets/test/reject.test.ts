import { expect } from 'chai';
import type { TestGateway } from '@gatehousejs/core/testing';
import { ask, budgetsOf, chat, eventually, NANO_PER_TOKEN, post, startGateway, type Reply } from './helpers.js';

const cost = (reply: Reply) => (reply.json().usage.prompt_tokens + reply.json().usage.completion_tokens) * NANO_PER_TOKEN / 1e9;
const spentOf = async (gw: TestGateway, name: string) => (await budgetsOf(gw)).find((b) => b.name === name)!.spent_usd as number;
const MESSAGE = /^Budget "burst" \(USD 0\.30 per day, UTC\) (is spent|has USD [\d.]+ left, less than this request may cost \(about USD [\d.]+: lower max_tokens or the input\)); it resets at \d{4}-\d\d-\d\dT00:00:00\+00:00\.$/;

describe('reject budgets', () => {
  let gw: TestGateway;
  afterEach(() => gw?.close());

  it('refuses a concurrent burst at the limit: the spend overshoots by less than one request, the rest get 429 naming the budget', async function () {
    this.timeout(20_000);
    gw = await startGateway({ budgets: { limits: [{ name: 'burst', amount_usd: 0.3, window: 'day', scope: 'gateway' }] } });
    const body = ask('chat', 'Hi', { max_tokens: 10, mock: { delay_ms: 100 } });
    const admitted: Reply[] = [];
    const refused: Reply[] = [];
    // Bursts until one is refused whole: every reservation in flight competes for the same dollars.
    for (let round = 0; round < 10; round++) {
      const replies = await Promise.all(Array.from({ length: 25 }, () => post(`${gw.url}/v1/chat/completions`, body)));
      admitted.push(...replies.filter((r) => r.status === 200));
      refused.push(...replies.filter((r) => r.status === 429));
      expect(admitted.length + refused.length).to.equal(25 * (round + 1));
      if (replies.every((r) => r.status === 429)) break;
    }
    expect(refused.length).to.be.greaterThan(25);
    const oneRequest = Math.max(...admitted.map(cost));
    const total = admitted.reduce((sum, r) => sum + cost(r), 0);
    await eventually('reconciliation', async () => Math.abs((await spentOf(gw, 'burst')) - total) < 1e-9);
    expect(total).to.be.at.most(0.3 + oneRequest);
    expect(total).to.be.at.least(0.3 - 2 * oneRequest);
    for (const reply of refused) {
      expect(reply.json().error.type).to.equal('rate_limit_error');
      expect(reply.json().error.message).to.match(MESSAGE);
      expect(Number(reply.headers.get('retry-after'))).to.be.within(1, 86_400);
    }
  });

  it('counts a key budget for that key only, and an endpoint budget for that endpoint only', async () => {
    gw = await startGateway({
      endpoints: [chat('chat'), chat('other')],
      budgets: {
        limits: [
          { name: 'alpha', amount_usd: 0.02, window: 'hour', scope: { key: 'key-alpha' } },
          { name: 'chat-only', amount_usd: 0.02, window: 'month', time_zone: 'Europe/Paris', scope: { endpoint: 'chat' } },
        ],
      },
    });
    expect((await post(`${gw.url}/v1/chat/completions`, ask('other'))).status).to.equal(200);
    const refused = await post(`${gw.url}/v1/chat/completions`, ask('other'));
    expect(refused.status).to.equal(429);
    expect(refused.json().error.message).to.match(/^Budget "alpha" \(USD 0\.02 per hour, UTC\) /);
    expect((await post(`${gw.url}/v1/chat/completions`, ask('other'), 'sk-beta')).status).to.equal(200);
    expect((await post(`${gw.url}/v1/chat/completions`, ask('chat'), 'sk-beta')).status).to.equal(200);
    const chatRefused = await post(`${gw.url}/v1/chat/completions`, ask('chat'), 'sk-beta');
    expect(chatRefused.json().error.message).to.match(/^Budget "chat-only" \(USD 0\.02 per month, Europe\/Paris\) .* it resets at \d{4}-\d\d-01T00:00:00\+01:00\.$/);
  });

  it('reconciles streams with their usage, gives a failed request its reservation back, and lets unpriced models through', async () => {
    gw = await startGateway({
      endpoints: [chat('chat'), { name: 'free', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'unpriced-model' } }],
      budgets: { limits: [{ name: 'all', amount_usd: 1, window: 'day', scope: 'gateway' }] },
    });
    const streamed = await post(`${gw.url}/v1/chat/completions`, ask('chat', 'Tell me a story', { stream: true, stream_options: { include_usage: true } }));
    const usage = streamed.body.split('\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6))).find((c) => c.usage).usage;
    await eventually('the stream reconciled', async () => Math.abs((await spentOf(gw, 'all')) - usage.total_tokens * 0.001) < 1e-9);
    const failed = await post(`${gw.url}/v1/chat/completions`, ask('chat', 'Hi', { mock: { status: 500 } }));
    expect(failed.status).to.equal(502);
    await eventually('the reservation released', async () => Math.abs((await spentOf(gw, 'all')) - usage.total_tokens * 0.001) < 1e-9);
    expect((await post(`${gw.url}/v1/chat/completions`, ask('free'))).status).to.equal(200);
    expect((await post(`${gw.url}/v1/chat/completions`, ask('free'))).status).to.equal(200);
    expect(gw.logs.filter((l) => l.includes('no price for this model'))).to.have.length(1);
  });

  it('a fallback is checked against its own endpoint budget, and key and gateway budgets count once', async () => {
    gw = await startGateway({
      endpoints: [chat('primary', { fallbacks: ['backup'] }), chat('backup')],
      budgets: {
        limits: [
          { name: 'primary', amount_usd: 0.001, window: 'day', scope: { endpoint: 'primary' } },
          { name: 'everything', amount_usd: 5, window: 'day', scope: 'gateway' },
        ],
      },
    });
    const reply = await post(`${gw.url}/v1/chat/completions`, ask('primary'));
    expect(reply.status).to.equal(200);
    expect(reply.headers.get('x-gatehouse-endpoint')).to.equal('backup');
    await eventually('reconciliation', async () => Math.abs((await spentOf(gw, 'everything')) - cost(reply)) < 1e-9);
    expect(await spentOf(gw, 'primary')).to.equal(0);
  });

  it('reads every budget with GET /api/budgets', async () => {
    gw = await startGateway({ budgets: { time_zone: 'America/New_York', limits: [{ name: 'd', amount_usd: 2.5, window: 'week', scope: { endpoint: 'chat' } }] } });
    const [budget] = await budgetsOf(gw);
    expect(budget).to.deep.include({ name: 'd', scope: { endpoint: 'chat' }, action: 'reject', window: 'week', time_zone: 'America/New_York', amount_usd: 2.5, spent_usd: 0, remaining_usd: 2.5 });
    expect(budget!.resets_at).to.match(/^\d{4}-\d\d-\d\dT00:00:00-0[45]:00$/);
    expect(new Date(budget!.resets_at).getUTCDay()).to.equal(1);
  });
});
