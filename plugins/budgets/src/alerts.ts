// Alert webhooks: a JSON POST per budget and window, sent off the request path and retried
// with backoff (the receiver's Retry-After honoured). Logs name the budget and the webhook's
// host only: its path and query often carry a token.
import { backoffDelayMs, type ExplicitWindow } from '@gatehousejs/core';
import type { Agent } from 'undici';
import type { Logger } from 'winston';
import { NANO_PER_USD, usd, type Budget } from './budget.js';
import { isoInZone } from './calendar.js';
import type { AlertSettings, Webhook } from './config.js';

const MAX_BACKOFF_MS = 60_000;

export class Alerts {
  private settings: AlertSettings = { attempts: 5, backoffMs: 1000, timeoutMs: 5000 };
  private agent: Agent | undefined;
  private readonly closing = new AbortController();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  configure(settings: AlertSettings): void {
    this.settings = settings;
  }

  /** Queue the alert for `budget`'s window; returns at once. */
  fire(budget: Budget, spentNano: number, window: ExplicitWindow): void {
    const webhook = budget.spec.webhook;
    if (!webhook || this.closing.signal.aborted) return;
    const body = JSON.stringify(payload(budget, spentNano, window));
    const task = this.deliver(budget.spec.name, webhook, body).finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  /** Resolves when every alert queued so far is delivered or given up (tests). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Shutdown: stop retrying; an alert not delivered by then is logged as lost. */
  async close(): Promise<void> {
    this.closing.abort();
    await Promise.all([...this.pending]);
    await this.agent?.close();
  }

  private async deliver(name: string, webhook: Webhook, body: string): Promise<void> {
    const host = hostOf(webhook.url);
    const { attempts, backoffMs, timeoutMs } = this.settings;
    let outcome = '';
    // undici's index (fetch, WebSocket, caches: megabytes of memory) only once an alert is due.
    const undici = await import('undici');
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const response = await undici.request(webhook.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'gatehouse-budgets', ...webhook.headers },
          body,
          dispatcher: (this.agent ??= new undici.Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs })),
          signal: AbortSignal.any([this.closing.signal, AbortSignal.timeout(timeoutMs)]),
        });
        await response.body.dump();
        if (response.statusCode < 300) {
          this.log.info('budgets: alert sent', { budget: name, webhook: host, attempt });
          return;
        }
        outcome = `HTTP ${response.statusCode}`;
        const retryAfter = Number(response.headers['retry-after']);
        if (Number.isFinite(retryAfter)) retryAfterMs = retryAfter * 1000;
      } catch (error) {
        outcome = (error as Error).message;
      }
      if (this.closing.signal.aborted) break;
      const delay = attempt < attempts ? backoffDelayMs({ backoffMs, maxBackoffMs: MAX_BACKOFF_MS, maxRetryAfterMs: MAX_BACKOFF_MS }, attempt, retryAfterMs) ?? MAX_BACKOFF_MS : undefined;
      if (delay === undefined) break;
      this.log.warn('budgets: alert webhook failed; retrying', { budget: name, webhook: host, attempt, error: outcome, retryInMs: Math.round(delay) });
      if (!(await sleep(delay, this.closing.signal))) break;
    }
    this.log.error('budgets: alert not delivered', { budget: name, webhook: host, error: outcome, shuttingDown: this.closing.signal.aborted });
  }
}

/** What the webhook receives. */
function payload(budget: Budget, spentNano: number, window: ExplicitWindow): Record<string, unknown> {
  const spec = budget.spec;
  return {
    type: 'budget.reached',
    budget: spec.name,
    scope: spec.scope.type === 'gateway' ? 'gateway' : spec.scope,
    window: spec.window,
    time_zone: spec.timeZone,
    window_start: isoInZone(window.start, spec.timeZone),
    resets_at: budget.resetsAt(window),
    amount_usd: spec.amountUsd,
    spent_usd: spentNano / NANO_PER_USD,
    message: `${budget.label} is reached: USD ${usd(spentNano)} spent.`,
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured webhook';
  }
}

/** Resolves false when the signal fires first. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve(true);
    }, ms);
    function stop() {
      clearTimeout(timer);
      resolve(false);
    }
    signal.addEventListener('abort', stop, { once: true });
  });
}
