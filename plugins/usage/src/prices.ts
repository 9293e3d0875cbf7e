// Cost in USD from token counts: a bundled price table, overridable and extendable from the
// config (`usage.prices`). Costs are kept in integer nano-dollars so that sums are exact and
// every store adds them up to the same total.

/** USD per million tokens. `cached_input` applies to prompt tokens served from the provider's cache. */
export interface Price {
  readonly input: number;
  readonly output: number;
  readonly cached_input?: number;
}

/** Config overrides, keyed "provider/model" (one provider) or "model" (any provider). */
export type PriceOverrides = Readonly<Record<string, Price>>;

export interface TokenCounts {
  readonly prompt: number;
  readonly completion: number;
  readonly cached: number;
}

/**
 * Public list prices, standard (non-batch) tier, the short-context rate where a provider has
 * tiers. Taken from the providers' pricing pages as published in August 2025 (Anthropic's
 * checked against its docs page); prices change: verify them and override in `usage.prices`.
 */
export const PRICES_AS_OF = '2025-08';

const p = (input: number, output: number, cached_input?: number): Price => Object.freeze(cached_input === undefined ? { input, output } : { input, output, cached_input });

export const BUNDLED_PRICES: Readonly<Record<string, Readonly<Record<string, Price>>>> = Object.freeze({
  openai: Object.freeze({
    'gpt-5': p(1.25, 10, 0.125),
    'gpt-5-mini': p(0.25, 2, 0.025),
    'gpt-5-nano': p(0.05, 0.4, 0.005),
    'gpt-4.1': p(2, 8, 0.5),
    'gpt-4.1-mini': p(0.4, 1.6, 0.1),
    'gpt-4.1-nano': p(0.1, 0.4, 0.025),
    'gpt-4o': p(2.5, 10, 1.25),
    'gpt-4o-mini': p(0.15, 0.6, 0.075),
    o1: p(15, 60, 7.5),
    o3: p(2, 8, 0.5),
    'o3-mini': p(1.1, 4.4, 0.55),
    'o4-mini': p(1.1, 4.4, 0.275),
    'gpt-4-turbo': p(10, 30),
    'gpt-4': p(30, 60),
    'gpt-3.5-turbo': p(0.5, 1.5),
    'gpt-3.5-turbo-instruct': p(1.5, 2),
    'text-embedding-3-small': p(0.02, 0),
    'text-embedding-3-large': p(0.13, 0),
    'text-embedding-ada-002': p(0.1, 0),
  }),
  anthropic: Object.freeze({
    'claude-opus-4-1': p(15, 75, 1.5),
    'claude-opus-4': p(15, 75, 1.5),
    'claude-sonnet-4': p(3, 15, 0.3),
    'claude-3-7-sonnet': p(3, 15, 0.3),
    'claude-3-5-sonnet': p(3, 15, 0.3),
    'claude-3-5-haiku': p(0.8, 4, 0.08),
    'claude-3-opus': p(15, 75, 1.5),
    'claude-3-haiku': p(0.25, 1.25, 0.03),
  }),
  gemini: Object.freeze({
    'gemini-2.5-pro': p(1.25, 10, 0.31),
    'gemini-2.5-flash': p(0.3, 2.5, 0.075),
    'gemini-2.5-flash-lite': p(0.1, 0.4, 0.025),
    'gemini-2.0-flash': p(0.1, 0.4, 0.025),
    'gemini-2.0-flash-lite': p(0.075, 0.3),
    'gemini-1.5-pro': p(1.25, 5, 0.3125),
    'gemini-1.5-flash': p(0.075, 0.3, 0.01875),
    'gemini-1.5-flash-8b': p(0.0375, 0.15, 0.01),
  }),
  mistral: Object.freeze({
    'mistral-large': p(2, 6),
    'mistral-medium': p(0.4, 2),
    'mistral-small': p(0.1, 0.3),
    codestral: p(0.3, 0.9),
    'open-mistral-nemo': p(0.15, 0.15),
    'ministral-8b': p(0.1, 0.1),
    'ministral-3b': p(0.04, 0.04),
    'pixtral-large': p(2, 6),
    'mistral-embed': p(0.1, 0),
  }),
  cohere: Object.freeze({
    'command-a': p(2.5, 10),
    'command-r-plus': p(2.5, 10),
    'command-r': p(0.15, 0.6),
    'command-r7b': p(0.0375, 0.15),
    'embed-english-v3.0': p(0.1, 0),
    'embed-multilingual-v3.0': p(0.1, 0),
  }),
  deepseek: Object.freeze({
    'deepseek-chat': p(0.27, 1.1, 0.07),
    'deepseek-reasoner': p(0.55, 2.19, 0.14),
  }),
  xai: Object.freeze({
    'grok-4': p(3, 15, 0.75),
    'grok-3': p(3, 15, 0.75),
    'grok-3-mini': p(0.3, 0.5, 0.075),
  }),
  groq: Object.freeze({
    'llama-3.3-70b-versatile': p(0.59, 0.79),
    'llama-3.1-8b-instant': p(0.05, 0.08),
  }),
});

// A dated or versioned snapshot of a listed model: "gpt-4o-2024-08-06", "claude-3-5-sonnet-20241022",
// "mistral-large-latest", "command-r-08-2024", "gemini-1.5-pro-002". Anything else must be listed.
const SNAPSHOT_SUFFIX = /^-(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{2}-\d{4}|\d{3,4}|latest|preview(?:-\d{2}-\d{2})?|v\d+(?::\d+)?)$/;

function findIn(table: Readonly<Record<string, Price>> | undefined, model: string): Price | undefined {
  if (!table) return undefined;
  const exact = table[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const name of Object.keys(table)) {
    if (model.startsWith(name) && SNAPSHOT_SUFFIX.test(model.slice(name.length)) && (!best || name.length > best.length)) best = name;
  }
  return best === undefined ? undefined : table[best];
}

/** Looks prices up (config first, then the bundled table) and memoises the answer per model. */
export class PriceBook {
  private readonly byProvider = new Map<string, Record<string, Price>>();
  private readonly anyProvider: Record<string, Price> = {};
  private readonly memo = new Map<string, Price | null>();

  constructor(overrides: PriceOverrides = {}) {
    for (const [key, price] of Object.entries(overrides)) {
      const slash = key.indexOf('/');
      if (slash === -1) {
        this.anyProvider[key] = price;
        continue;
      }
      const provider = key.slice(0, slash);
      const table = this.byProvider.get(provider) ?? {};
      table[key.slice(slash + 1)] = price;
      this.byProvider.set(provider, table);
    }
  }

  lookup(provider: string, model: string): Price | undefined {
    const key = `${provider}\u0000${model}`;
    let found = this.memo.get(key);
    if (found === undefined) {
      found = findIn(this.byProvider.get(provider), model) ?? findIn(this.anyProvider, model) ?? findIn(BUNDLED_PRICES[provider], model) ?? null;
      // Model names come from the config, so the memo stays small; bound it anyway.
      if (this.memo.size < 10_000) this.memo.set(key, found);
    }
    return found ?? undefined;
  }
}

/** The configured price book as other plugins see it (the `prices` store): it follows hot reloads. */
export type PriceLookup = Pick<PriceBook, 'lookup'>;

/** Cost in integer nano-dollars (USD × 1e9): prices are per million tokens, so 1 token × $1/M = 1000 n$. */
export function costNanoUsd(price: Price, tokens: TokenCounts): number {
  const cached = Math.min(Math.max(tokens.cached, 0), tokens.prompt);
  const uncached = tokens.prompt - cached;
  const nano = uncached * price.input * 1000 + cached * (price.cached_input ?? price.input) * 1000 + tokens.completion * price.output * 1000;
  return Math.round(nano);
}
