// Errors an upstream reports inside a 2xx answer or a stream event, rather than by status.
import { createError, upstreamErrorMessage, type GatewayError } from '@gatehousejs/core';

/**
 * True for `{"error": {...}}` (OpenAI, mid-stream), `{"object": "error", ...}` (vLLM and others)
 * and `{"error_code": "...", "message": "..."}` (Databricks' error shape, also inside a stream).
 */
export function isReportedError(body: Readonly<Record<string, unknown>>): boolean {
  return (body.error !== undefined && body.error !== null) || body.object === 'error' || (typeof body.error_code === 'string' && typeof body.message === 'string');
}

/** A 502 that keeps the upstream's message: headers (and perhaps chunks) were already sent as a success. */
export function reportedError(raw: string, provider: string, where: 'stream' | 'answer'): GatewayError {
  const { message, body } = upstreamErrorMessage(raw);
  const context = where === 'stream' ? 'reported an error mid-stream' : 'answered with an error';
  return createError('GW_ERR_UPSTREAM_ERROR', `${provider} ${context}: ${message}`, { upstreamBody: body });
}
