// `n` (and a list of prompts) by parallel calls: TGI answers one sequence per request.
// Why not TGI's best_of: it returns the single most likely of N samples (the others only as
// details), needs sampling, is capped by the server's --max-best-of (2 by default) and is
// refused on streams. Parallel calls work on every server and give N independent answers.
import { createError, type CallContext, type Usage } from '@gatehousejs/core';
import { MAX_CHOICES } from './params.js';

/** The number of choices asked for (n, default 1); a 400 naming the provider beyond the limit. */
export function choiceCount(n: unknown, providerName: string): number {
  if (n === undefined || n === null) return 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw createError('GW_ERR_BAD_REQUEST', `n: must be a positive integer (provider ${providerName}).`, { param: 'n' });
  }
  return n;
}

/** Refuse more than MAX_CHOICES parallel calls for one request. */
export function checkFanOut(total: number, providerName: string): void {
  if (total > MAX_CHOICES) {
    throw createError(
      'GW_ERR_BAD_REQUEST',
      `n: TGI answers one choice per call and the provider makes at most ${MAX_CHOICES} parallel calls per request (asked for ${total}) (provider ${providerName}).`,
      { param: 'n' },
    );
  }
}

/** A stream carries one choice: n > 1 (or several prompts) is refused there. */
export function checkSingleStream(choices: number, providerName: string): void {
  if (choices !== 1) {
    throw createError('GW_ERR_BAD_REQUEST', `n: a TGI stream carries one choice; streams take n=1 and a single prompt (provider ${providerName}).`, {
      param: 'n',
    });
  }
}

/** Each parallel call gets its own seed (seed + i), or the n answers would be the same. */
export function seedFor(seed: unknown, i: number): unknown {
  return typeof seed === 'number' && i > 0 ? seed + i : seed;
}

/**
 * Run `count` calls at once. The first failure cancels the others and is the one reported; a
 * single call runs on the caller's context unchanged.
 */
export async function fanOut<T>(count: number, call: CallContext, run: (i: number, call: CallContext) => Promise<T>): Promise<T[]> {
  if (count === 1) return [await run(0, call)];
  const siblings = new AbortController();
  const shared: CallContext = { ...call, signal: AbortSignal.any([call.signal, siblings.signal]) };
  let failure: { error: unknown } | undefined;
  const results = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      run(i, shared).catch((error: unknown) => {
        if (!failure) {
          failure = { error };
          siblings.abort(error);
        }
        return undefined as T;
      }),
    ),
  );
  if (failure) throw failure.error;
  return results;
}

/** Usage of several calls added up (each call processed its prompt: prompt tokens add up too). */
export function sumUsage(usages: readonly Usage[]): Usage {
  let prompt = 0;
  let completion = 0;
  for (const usage of usages) {
    prompt += usage.prompt_tokens;
    completion += usage.completion_tokens;
  }
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
