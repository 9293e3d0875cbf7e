// The official OpenAI SDK pointed at a gateway, as a user would configure it. No retries, so
// that an error is seen once, as the gateway sent it.
import OpenAI from 'openai';

export function openAIClient(gatewayUrl: string, options: { apiKey?: string; prefix?: string } = {}): OpenAI {
  return new OpenAI({
    baseURL: `${gatewayUrl}${options.prefix ?? ''}/v1`,
    apiKey: options.apiKey ?? 'sk-any-key-the-gateway-ignores',
    maxRetries: 0,
    timeout: 15_000,
  });
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
