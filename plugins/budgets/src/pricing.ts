// What a request costs in nano-dollars, at the price the usage plugin records it at (its
// bundled table with `usage.prices`, shared as the `prices` store): before the call from the
// estimated input and the output it may produce, after it from the usage the provider reported.
import type { RequestContext, Target } from '@gatehousejs/core';
import { costNanoUsd, type Price, type PriceLookup } from '@gatehousejs/plugin-usage';
import { reservedTokens } from '@gatehousejs/plugin-rate-limit';
import type { Logger } from 'winston';

export class Pricing {
  private prices: PriceLookup | undefined;
  private readonly unpriced = new Set<string>();
  maxOutputTokens = 0;

  constructor(private readonly log: Logger) {}

  /** At ready: the usage plugin's store. */
  use(prices: PriceLookup): void {
    this.prices = prices;
  }

  /** The endpoint's price; a model without one counts nothing (said once per model). */
  priceOf(target: Target): Price | undefined {
    const price = this.prices?.lookup(target.provider, target.model);
    if (!price) this.sayUnpriced(target);
    return price;
  }

  /** The most the request may cost: input estimate at the input price, max output at the output price. */
  reservation(ctx: RequestContext, price: Price): number {
    const tokens = reservedTokens(ctx, this.maxOutputTokens);
    return costNanoUsd(price, { prompt: tokens.input, completion: tokens.output, cached: 0 });
  }

  /** The answer's cost from its usage, as the usage plugin records it; undefined without usage or price. */
  actual(ctx: RequestContext): number | undefined {
    const usage = ctx.usage;
    if (!usage || !ctx.target) return undefined;
    const price = this.priceOf(ctx.target);
    if (!price) return undefined;
    return costNanoUsd(price, { prompt: usage.prompt_tokens ?? 0, completion: usage.completion_tokens ?? 0, cached: usage.prompt_tokens_details?.cached_tokens ?? 0 });
  }

  private sayUnpriced(target: Target): void {
    const key = `${target.provider}/${target.model}`;
    if (this.unpriced.has(key) || this.unpriced.size > 1000) return;
    this.unpriced.add(key);
    this.log.warn('budgets: no price for this model; its requests count nothing against budgets (add it to usage.prices)', { provider: target.provider, model: target.model, endpoint: target.endpoint });
  }
}
