// Counters on Redis, shared by every gateway instance: one Lua script checks and consumes all
// of a request's counters atomically in one round trip. Commands never queue while Redis is
// away (they fail at once, and the plugin refuses the request with a 503); ioredis reconnects
// by itself, and the first call after that succeeds again.
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { Logger } from 'winston';
import { counterWindow, createError, windowedId, type ConsumeResult, type CounterCheck, type CounterPeriod, type Counters, type CounterState } from '@gatehousejs/core';
import { redisLocation } from './config.js';

// ioredis (~25 MB resident) is loaded only when a Redis store is configured, not by every
// gateway that imports this plugin.
const require = createRequire(import.meta.url);
const loadRedis = (): typeof Redis => (require('ioredis') as typeof import('ioredis')).Redis;

// KEYS: the windowed counters. ARGV: n amounts, n limits, n TTLs (ms). Returns {allowed, used...}.
const CONSUME = `
local n = #KEYS
local used = {}
local allowed = 1
for i = 1, n do
  used[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
  if used[i] + tonumber(ARGV[i]) > tonumber(ARGV[n + i]) then allowed = 0 end
end
if allowed == 1 then
  for i = 1, n do
    local amount = tonumber(ARGV[i])
    if amount ~= 0 then
      used[i] = redis.call('INCRBY', KEYS[i], amount)
      if used[i] == amount then redis.call('PEXPIRE', KEYS[i], ARGV[2 * n + i]) end
    end
  end
end
table.insert(used, 1, allowed)
return used`;

// An existing counter only (a window that is gone stays gone), never below 0, its TTL kept.
const ADJUST = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local value = math.max(0, tonumber(current) + tonumber(ARGV[1]))
redis.call('SET', KEYS[1], value, 'KEEPTTL')
return value`;

/** Kept past the window's end, so that instances whose clocks differ a little agree on the count. */
const TTL_GRACE_MS = 1000;
/** Reconnect quickly (a limiter that is down refuses traffic), but not in a tight loop. */
const MAX_RECONNECT_DELAY_MS = 1000;
/** How long start-up waits for a first connection before serving (with 503s) anyway. */
const READY_WAIT_MS = 2000;

type Scripted = Redis & {
  rlConsume(numberOfKeys: number, ...args: (string | number)[]): Promise<number[]>;
  rlAdjust(key: string, delta: number): Promise<number>;
};

export interface RedisCountersOptions {
  readonly url: string;
  readonly prefix: string;
  readonly timeoutMs: number;
  readonly log: Logger;
  readonly now?: () => number;
  /** What the counters serve, in logs and errors: "Rate limits" (default), "Budgets". */
  readonly label?: string;
}

export class RedisCounters implements Counters {
  private readonly redis: Scripted;
  private readonly location: string;
  private readonly now: () => number;
  private readonly label: string;
  private down = false;
  private closing = false;
  private lastError = '';

  constructor(private readonly options: RedisCountersOptions) {
    this.location = redisLocation(options.url);
    this.now = options.now ?? Date.now;
    this.label = options.label ?? 'Rate limits';
    const RedisClient = loadRedis();
    this.redis = new RedisClient(options.url, {
      keyPrefix: options.prefix,
      commandTimeout: options.timeoutMs,
      connectTimeout: Math.max(options.timeoutMs, 1000),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: (times) => Math.min(times * 100, MAX_RECONNECT_DELAY_MS),
      scripts: { rlConsume: { lua: CONSUME }, rlAdjust: { lua: ADJUST, numberOfKeys: 1 } },
    }) as Scripted;
    // ioredis reports every failed reconnect: say it once per outage, and when it is over.
    this.redis.on('error', (error: Error) => {
      this.lastError = error.message;
      this.lost(error.message);
    });
    this.redis.on('close', () => this.lost('connection closed'));
    this.redis.on('ready', () => {
      if (this.down) options.log.info(`${this.label.toLowerCase()}: Redis is reachable again`, { redis: this.location });
      this.down = false;
      this.lastError = '';
    });
  }

  private lost(reason: string): void {
    if (this.down || this.closing) return;
    this.down = true;
    this.options.log.error(`${this.label.toLowerCase()}: Redis is unreachable; requests are refused (503) until it is back`, { redis: this.location, error: reason });
  }

  /** At start-up: wait a little for the first connection; serving starts either way. */
  async ready(): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, READY_WAIT_MS);
      const redis = this.redis;
      function done() {
        clearTimeout(timer);
        redis.off('ready', done);
        resolve();
      }
      redis.once('ready', done);
    });
  }

  async consume(key: string, amount: number, limit: number, period: CounterPeriod): Promise<CounterState & { allowed: boolean }> {
    const { allowed, counters } = await this.consumeAll([{ key, amount, limit, period }]);
    return Object.assign({}, counters[0]!, { allowed });
  }

  async consumeAll(checks: readonly CounterCheck[]): Promise<ConsumeResult> {
    const now = this.now();
    const n = checks.length;
    const args: (string | number)[] = new Array(4 * n);
    const ends: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const check = checks[i]!;
      const window = counterWindow(check.period, now);
      ends[i] = window.end;
      args[i] = windowedId(check.key, window);
      args[n + i] = check.amount;
      args[2 * n + i] = check.limit;
      args[3 * n + i] = window.end - now + TTL_GRACE_MS;
    }
    const reply = await this.guard(this.redis.rlConsume(n, ...args));
    const allowed = reply[0] === 1;
    const counters: CounterState[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const check = checks[i]!;
      const used = Number(reply[i + 1]);
      const before = allowed ? used - check.amount : used;
      counters[i] = { id: String(args[i]), used, limit: check.limit, remaining: Math.max(0, check.limit - used), resetMs: ends[i]! - now, fits: before + check.amount <= check.limit };
    }
    return { allowed, counters };
  }

  async adjust(id: string, delta: number): Promise<void> {
    await this.guard(this.redis.rlAdjust(id, delta));
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Any failure becomes the 503 the plugin answers with; the message names Redis, never its URL. */
  private async guard<T>(command: Promise<T>): Promise<T> {
    try {
      return await command;
    } catch (error) {
      const reason = this.down ? this.lastError || 'connection lost' : (error as Error).message;
      throw createError('GW_ERR_LIMITER_UNAVAILABLE', `${this.label} are unavailable: Redis at ${this.location} cannot be reached (${reason}). Requests are refused until it is back.`, {
        retryAfter: 1,
        cause: error,
      });
    }
  }
}
