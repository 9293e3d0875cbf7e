import { expect } from 'chai';
import type { TestGateway } from '@gatehousejs/core/testing';
import { ask, chat, CuttableProxy, eventually, post, RedisServer, startGateway, uniquePrefix } from './helpers.js';

const REDIS_PORT = Number(new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379);

async function redisGateway(url: string, extra: Record<string, unknown> = {}): Promise<TestGateway> {
  return startGateway({
    endpoints: [chat('chat', { limit: { renewal_period: 'minute', calls: 1000 } })],
    rate_limits: { store: 'redis', redis_url: url, redis_prefix: uniquePrefix(), ...extra },
  });
}

const call = (gw: TestGateway) => post(`${gw.url}/v1/chat/completions`, ask('chat'));

describe('rate limits on Redis: outages fail closed and heal by themselves', () => {
  it('answers 503 with a clear message while its Redis is down, and serves again once it is back, without a restart', async function () {
    this.timeout(20_000);
    const redis = await RedisServer.start();
    const gw = await redisGateway(redis.url);
    try {
      expect((await call(gw)).status).to.equal(200);
      await redis.kill();
      const started = Date.now();
      const refused = await call(gw);
      expect(Date.now() - started).to.be.below(1500);
      expect(refused.status).to.equal(503);
      expect(refused.headers.get('retry-after')).to.equal('1');
      expect(refused.json().error.code).to.equal('limiter_unavailable');
      expect(refused.json().error.message).to.match(new RegExp(`^Rate limits are unavailable: Redis at 127\\.0\\.0\\.1:${redis.port} cannot be reached \\(.+\\)\\. Requests are refused until it is back\\.$`));
      await redis.restart();
      await eventually('requests to pass again', async () => (await call(gw)).status === 200);
      expect(gw.logs.some((line) => line.includes('Redis is reachable again'))).to.equal(true);
    } finally {
      await gw.close();
      await redis.kill();
    }
  });

  it('bounds every Redis call: a silent network (TCP proxy cut) gets 503 within the timeout, and heals', async function () {
    this.timeout(20_000);
    const proxy = await CuttableProxy.start(REDIS_PORT);
    const gw = await redisGateway(proxy.url, { redis_timeout_ms: 200 });
    try {
      expect((await call(gw)).status).to.equal(200);
      proxy.cut();
      const started = Date.now();
      const refused = await call(gw);
      expect(Date.now() - started).to.be.below(1000);
      expect(refused.status).to.equal(503);
      expect(refused.json().error.message).to.contain('Rate limits are unavailable: Redis at 127.0.0.1:');
      proxy.heal();
      await eventually('requests to pass again', async () => (await call(gw)).status === 200);
    } finally {
      await gw.close();
      await proxy.close();
    }
  });

  it('takes redis_url from the environment, stops start-up naming an unset variable, and never shows the password', async function () {
    let error: Error | undefined;
    try {
      await redisGateway('$GATEHOUSE_RL_TEST_UNSET');
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).to.contain('GATEHOUSE_RL_TEST_UNSET');
    process.env.GATEHOUSE_RL_TEST_URL = `redis://:pw-7c1f9e2a@127.0.0.1:1`;
    const gw = await redisGateway('$GATEHOUSE_RL_TEST_URL');
    try {
      const refused = await call(gw);
      expect(refused.status).to.equal(503);
      expect(refused.body).to.contain('Redis at 127.0.0.1:1 cannot be reached');
      expect(refused.body + gw.logs.join('\n')).not.to.contain('pw-7c1f9e2a');
    } finally {
      delete process.env.GATEHOUSE_RL_TEST_URL;
      await gw.close();
    }
  });

  it('starts with its Redis down, refuses meanwhile, and serves once Redis comes up', async function () {
    this.timeout(20_000);
    const redis = await RedisServer.start();
    await redis.kill();
    const gw = await redisGateway(redis.url);
    try {
      expect((await call(gw)).status).to.equal(503);
      await redis.restart();
      await eventually('requests to pass', async () => (await call(gw)).status === 200);
    } finally {
      await gw.close();
      await redis.kill();
    }
  });
});
