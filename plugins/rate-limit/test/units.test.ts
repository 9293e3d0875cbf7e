import { expect } from 'chai';
import { goDuration, rateLimitHeaders, resolveSettings } from '../src/index.js';
import { checkEndpointLimits, redisLocation, redisUrlSetting } from '../src/config.js';

describe('rate-limit units', () => {
  it('formats resets as OpenAI does (Go durations)', () => {
    expect(goDuration(12)).to.equal('12ms');
    expect(goDuration(999.2)).to.equal('1s');
    expect(goDuration(1000)).to.equal('1s');
    expect(goDuration(8640)).to.equal('8.64s');
    expect(goDuration(360_000)).to.equal('6m0s');
    expect(goDuration(3_723_500)).to.equal('1h2m3.5s');
    expect(goDuration(86_400_000)).to.equal('24h0m0s');
  });

  it('reports, per kind, the counter closest to its limit', () => {
    const counter = (limit: number, used: number, resetMs: number) => ({ id: 'x', limit, used, remaining: limit - used, resetMs, fits: true });
    const headers = rateLimitHeaders(['requests', 'requests', 'tokens'], [counter(10, 2, 5000), counter(5, 4, 60_000), counter(1000, 120, 30_000)]);
    expect(headers).to.deep.equal({
      'x-ratelimit-limit-requests': '5',
      'x-ratelimit-remaining-requests': '1',
      'x-ratelimit-reset-requests': '1m0s',
      'x-ratelimit-limit-tokens': '1000',
      'x-ratelimit-remaining-tokens': '880',
      'x-ratelimit-reset-tokens': '30s',
    });
  });

  it('resolves settings: memory by default; the Redis URL from redis_url, else $REDIS_URL when set, else the local default', () => {
    expect(resolveSettings(undefined)).to.include({ store: 'memory', maxOutputTokens: 0, redisPrefix: 'gatehouse:rl:', redisTimeoutMs: 500 });
    expect(redisUrlSetting({ redis_url: '$RL_URL' }, {})).to.equal('$RL_URL');
    expect(redisUrlSetting({}, { REDIS_URL: 'redis://cache:6380' })).to.equal('$REDIS_URL');
    expect(redisUrlSetting(undefined, {})).to.equal('redis://127.0.0.1:6379');
  });

  it('never shows a Redis password', () => {
    expect(redisLocation('redis://user:s3cret@cache.internal:6380/0')).to.equal('cache.internal:6380');
    expect(redisLocation('rediss://:s3cret@cache.internal')).to.equal('cache.internal:6379');
  });

  it('accepts limit.key "user" or none, and names the endpoint otherwise', () => {
    expect(() => checkEndpointLimits([{ name: 'a', limit: {} }, { name: 'b', limit: { key: 'user' } }])).not.to.throw();
    expect(() => checkEndpointLimits([{ name: 'c', limit: { key: 'ip' } }])).to.throw(/Endpoint "c": limit.key must be "user"/);
  });
});
