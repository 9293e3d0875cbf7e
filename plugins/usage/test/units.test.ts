// The small pieces on their own: prices and cost, percentiles, metadata, query parsing,
// settings, and the writer's retry, backoff and shutdown against a fake store.
import { expect } from 'chai';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '@gatehousejs/core/testing';
import { isGatewayError } from '@gatehousejs/core';
import { BUNDLED_PRICES, costNanoUsd, PriceBook } from '../src/prices.js';
import { nearestRank, percentilesOf } from '../src/summary.js';
import { parseMetadata } from '../src/metadata.js';
import { parseListQuery, parseSummaryQuery, parseTime } from '../src/query.js';
import { dataDir, resolveSettings } from '../src/config.js';
import { Writer } from '../src/writer.js';
import type { UsageRecord } from '../src/record.js';
import type { UsageStore } from '../src/store/types.js';
import { synthetic } from './helpers.js';

describe('prices', () => {
  const book = new PriceBook({ 'openai/gpt-4o': { input: 1, output: 2 }, 'house-model': { input: 3, output: 4, cached_input: 1 } });

  it('finds bundled prices, dated snapshots included, but never a different model by prefix', () => {
    expect(new PriceBook().lookup('openai', 'gpt-4o-mini-2024-07-18')).to.equal(BUNDLED_PRICES.openai!['gpt-4o-mini']);
    expect(new PriceBook().lookup('openai', 'gpt-4-0613')).to.equal(BUNDLED_PRICES.openai!['gpt-4']);
    expect(new PriceBook().lookup('anthropic', 'claude-3-5-sonnet-20241022')).to.equal(BUNDLED_PRICES.anthropic!['claude-3-5-sonnet']);
    expect(new PriceBook().lookup('anthropic', 'claude-sonnet-4-20250514')).to.equal(BUNDLED_PRICES.anthropic!['claude-sonnet-4']);
    expect(new PriceBook().lookup('mistral', 'mistral-large-latest')).to.equal(BUNDLED_PRICES.mistral!['mistral-large']);
    expect(new PriceBook().lookup('gemini', 'gemini-1.5-pro-002')).to.equal(BUNDLED_PRICES.gemini!['gemini-1.5-pro']);
    expect(new PriceBook().lookup('openai', 'gpt-4o-audio-preview-2024-12-17')).to.equal(undefined);
    expect(new PriceBook().lookup('openai', 'gpt-4-unknown')).to.equal(undefined);
    expect(new PriceBook().lookup('mock', 'gpt-4o')).to.equal(undefined); // prices belong to a provider
  });

  it('lets the config override a provider model, or price a model for any provider', () => {
    expect(book.lookup('openai', 'gpt-4o')).to.deep.equal({ input: 1, output: 2 });
    expect(book.lookup('openai', 'gpt-4o-2024-08-06')).to.deep.equal({ input: 1, output: 2 });
    expect(book.lookup('openai', 'gpt-4o-mini')).to.equal(BUNDLED_PRICES.openai!['gpt-4o-mini']);
    expect(book.lookup('ollama', 'house-model')).to.deep.equal({ input: 3, output: 4, cached_input: 1 });
  });

  it('costs input, cached input and output in integer nano-dollars', () => {
    expect(costNanoUsd({ input: 2.5, output: 10 }, { prompt: 1_000_000, completion: 0, cached: 0 })).to.equal(2_500_000_000);
    // 600 uncached × $2.5/M + 400 cached × $1.25/M + 100 output × $10/M = $0.003
    expect(costNanoUsd({ input: 2.5, output: 10, cached_input: 1.25 }, { prompt: 1000, completion: 100, cached: 400 })).to.equal(3_000_000);
    // Without a cached price, cached tokens cost the input price; cached never exceeds the prompt.
    expect(costNanoUsd({ input: 1, output: 0 }, { prompt: 10, completion: 0, cached: 50 })).to.equal(10_000);
    expect(Number.isInteger(costNanoUsd({ input: 0.0375, output: 0.15 }, { prompt: 7, completion: 3, cached: 0 }))).to.equal(true);
  });

  it('bundles prices for the common models of each provider', () => {
    for (const provider of ['openai', 'anthropic', 'gemini', 'mistral', 'cohere']) expect(Object.keys(BUNDLED_PRICES[provider]!).length).to.be.at.least(5);
  });
});

describe('nearest-rank percentiles', () => {
  it('picks the value at rank ceil(p·n), at least 1', () => {
    expect([nearestRank(0.5, 1), nearestRank(0.99, 1), nearestRank(0.5, 4), nearestRank(0.9, 10), nearestRank(0.99, 100), nearestRank(0.99, 101)]).to.deep.equal([1, 1, 2, 9, 99, 100]);
    expect(percentilesOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).to.deep.equal({ p50: 5, p90: 9, p99: 10 });
  });
});

describe('client metadata header', () => {
  it('accepts a bounded user and tags', () => {
    expect(parseMetadata('{"user":"alice","tags":["a","b"]}')).to.deep.equal({ ok: true, value: { user: 'alice', tags: ['a', 'b'] } });
    expect(parseMetadata(undefined)).to.equal(undefined);
  });

  it('ignores anything else', () => {
    for (const bad of ['not json', '[]', '{"user":5}', '{"user":"a","role":"admin"}', `{"user":"${'x'.repeat(300)}"}`, '{"user":"line\\nbreak"}', `{"tags":[${Array.from({ length: 17 }, (_, i) => `"t${i}"`).join(',')}]}`, '{"tags":["a","a"]}', `{"user":"${'y'.repeat(3000)}"}`]) {
      expect(parseMetadata(bad), bad.slice(0, 40)).to.deep.equal({ ok: false });
    }
    expect(parseMetadata(['{"user":"a"}', '{"user":"b"}'])).to.deep.equal({ ok: false });
  });
});

describe('query parameters', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  it('reads times as epoch ms, durations ago or ISO dates', () => {
    expect(parseTime('1700000000000', 'from', now)).to.equal(1_700_000_000_000);
    expect(parseTime('24h', 'from', now)).to.equal(now - 86_400_000);
    expect(parseTime('2025-05-01', 'from', now)).to.equal(Date.parse('2025-05-01T00:00:00Z'));
    expect(parseTime('2025-05-01T10:00:00+02:00', 'from', now)).to.equal(Date.parse('2025-05-01T08:00:00Z'));
  });

  it('coerces and defaults', () => {
    expect(parseListQuery({ limit: '25', status: '5xx' }, now)).to.deep.include({ limit: 25, status: { min: 500, max: 599 } });
    expect(parseListQuery({}, now).limit).to.equal(100);
    expect(parseSummaryQuery({}, now).groupBy).to.equal('endpoint');
  });

  it('throws a coded 400 naming the parameter', () => {
    try {
      parseSummaryQuery({ group_by: 'fortnight' }, now);
      expect.fail('no error');
    } catch (error) {
      expect(isGatewayError(error) && error.status === 400 && error.param === 'group_by').to.equal(true);
    }
  });
});

describe('settings', () => {
  it('keeps the database in a data directory, never the source tree', () => {
    expect(dataDir('data', '/etc/gatehouse', {})).to.equal('/etc/gatehouse/data');
    expect(dataDir(undefined, '/x', { GATEHOUSE_DATA_DIR: '/var/lib/gh' })).to.equal('/var/lib/gh');
    expect(dataDir(undefined, '/x', { XDG_DATA_HOME: '/xdg' })).to.equal('/xdg/gatehouse');
    expect(dataDir(undefined, '/x', {})).to.equal(path.join(os.homedir(), '.local', 'share', 'gatehouse'));
  });

  it('resolves $DATABASE_URL itself and names the variable when it is unset', () => {
    expect(resolveSettings({ store: 'postgres' }, '/x', { DATABASE_URL: 'postgres://h/db' }).databaseUrl).to.equal('postgres://h/db');
    expect(resolveSettings({ store: 'postgres', database_url: '${PG}' }, '/x', { PG: 'postgres://p/db' }).databaseUrl).to.equal('postgres://p/db');
    expect(() => resolveSettings({ store: 'postgres' }, '/x', {})).to.throw(/DATABASE_URL/);
    expect(resolveSettings({}, '/x', {}).databaseUrl).to.equal(undefined); // SQLite needs none
  });
});

/** A store that fails while `down` is set and remembers what it was given. */
class FakeStore implements UsageStore {
  readonly kind = 'sqlite' as const;
  readonly location = 'fake';
  down = false;
  calls = 0;
  delayMs = 0;
  readonly stored: UsageRecord[] = [];
  readonly batches: number[] = [];
  async open() {}
  async insert(records: readonly UsageRecord[]) {
    this.calls++;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.down) throw new Error('store down');
    this.batches.push(records.length);
    this.stored.push(...records);
  }
  async list() {
    return { records: this.stored, next: null };
  }
  async summary() {
    return [];
  }
  async close() {}
}

describe('writer', () => {
  const events = () => {
    const seen = { dropped: 0, failed: 0 };
    return { seen, events: { dropped: (n: number) => (seen.dropped += n), storeFailed: () => seen.failed++ } };
  };

  it('retries a failing store with backoff and writes every record once, in order', async () => {
    const store = new FakeStore();
    const { seen, events: ev } = events();
    const writer = new Writer(store, { queueSize: 100, batchSize: 3, flushIntervalMs: 10 }, silentLogger(), ev);
    writer.start();
    store.down = true;
    const records = Array.from({ length: 10 }, (_, i) => synthetic({ request_id: `w-${i}` }));
    for (const r of records) writer.push(r);
    await new Promise((r) => setTimeout(r, 400));
    expect(seen.failed).to.be.greaterThan(1);
    // Backoff: far fewer attempts than flush ticks.
    expect(store.calls).to.be.below(15);
    store.down = false;
    for (let i = 0; i < 100 && writer.depth > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(store.stored.map((r) => r.request_id)).to.deep.equal(records.map((r) => r.request_id));
    await writer.flush(performance.now() + 1000);
    expect(seen.dropped).to.equal(0);
  });

  it('writes full batches while records keep arriving, the rest at the next interval', async () => {
    const store = new FakeStore();
    store.delayMs = 30;
    // No interval tick during the test: drain() below is what the interval calls.
    const writer = new Writer(store, { queueSize: 1000, batchSize: 10, flushIntervalMs: 60_000 }, silentLogger(), events().events);
    writer.start();
    const until = async (done: () => boolean) => {
      for (let waited = 0; !done() && waited < 5000; waited += 5) await new Promise((r) => setTimeout(r, 5));
    };
    for (let i = 0; i < 10; i++) writer.push(synthetic({})); // a full batch: written at once
    await until(() => store.calls === 1);
    for (let i = 0; i < 3; i++) writer.push(synthetic({})); // arrive while it is written
    await until(() => store.batches.length === 1);
    await new Promise((r) => setTimeout(r, 100)); // time for a write right behind it (30 ms)
    // Not a batch of 3 right behind the first: they wait for a full batch or the interval.
    expect(store.batches).to.deep.equal([10]);
    expect(writer.depth).to.equal(3);
    for (let i = 0; i < 7; i++) writer.push(synthetic({}));
    await until(() => store.batches.length === 2);
    expect(store.batches).to.deep.equal([10, 10]);
    writer.push(synthetic({}));
    await writer.drain(); // the interval's tick writes a partial batch
    expect(store.batches).to.deep.equal([10, 10, 1]);
    await writer.flush(performance.now() + 1000);
    expect(store.stored).to.have.length(21);
  });

  it('gives up at the shutdown deadline, counting and logging what it could not write', async () => {
    const store = new FakeStore();
    store.down = true;
    const { seen, events: ev } = events();
    const lines: string[] = [];
    const log = silentLogger();
    log.error = ((message: string) => lines.push(message)) as never;
    const writer = new Writer(store, { queueSize: 100, batchSize: 50, flushIntervalMs: 60_000 }, log, ev);
    for (let i = 0; i < 7; i++) writer.push(synthetic({}));
    const started = performance.now();
    await writer.flush(performance.now() + 300);
    expect(performance.now() - started).to.be.within(250, 1500);
    expect(seen.dropped).to.equal(7);
    expect(lines.join('\n')).to.contain('lost at shutdown');
    writer.push(synthetic({})); // after close: counted, not queued
    expect(seen.dropped).to.equal(8);
    expect(writer.depth).to.equal(0);
  });
});
