// A rough token count for providers whose API reports none. About four characters a token
// for English text (OpenAI's rule of thumb); never used where the provider reports usage.
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  return Math.max(1, Math.ceil(text.length / 4));
}
