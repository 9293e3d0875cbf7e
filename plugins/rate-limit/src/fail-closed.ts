// Limits fail closed: a store that cannot answer refuses the request with a 503, named after
// the feature ("Rate limits", "Budgets") so that the caller knows which one.
import { createError, isGatewayError } from '@gatehousejs/core';

export function failClosed(label: string, error: unknown): never {
  if (isGatewayError(error) && error.code === 'GW_ERR_LIMITER_UNAVAILABLE') throw error;
  throw createError('GW_ERR_LIMITER_UNAVAILABLE', `${label} are unavailable (${(error as Error).message}). Requests are refused until the limiter answers again.`, {
    retryAfter: 1,
    cause: error,
  });
}
