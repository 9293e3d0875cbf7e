// What a request may consume before it runs: its input, estimated with core's token estimator
// (native bodies too: their messages and prompts are read the same way), and the output it may
// produce. Token limits reserve the sum; budgets price the two parts.
import { estimateRequestTokens, type RequestContext } from '@gatehousejs/core';

export interface ReservedTokens {
  readonly input: number;
  /** max_completion_tokens or max_tokens, else the endpoint's max_output_tokens, else the default; times n. 0 for embeddings. */
  readonly output: number;
}

export function reservedTokens(ctx: RequestContext, defaultMaxOutput: number): ReservedTokens {
  const request = ctx.request as Record<string, unknown>;
  const input = estimateRequestTokens(request, ctx.target.model);
  if (ctx.target.endpointType === 'llm/v1/embeddings') return { input, output: 0 };
  const asked = positive(request.max_completion_tokens) ?? positive(request.max_tokens);
  const output = asked ?? positive(ctx.target.config.max_output_tokens) ?? defaultMaxOutput;
  return { input, output: output * (positive(request.n) ?? 1) };
}

export function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
