// The Anthropic Messages route, as the Anthropic SDKs call it with baseURL at
// /gateway/anthropic. Anthropic endpoints answer through the instance's `messages` handler
// (passthrough); endpoints of other providers through the translation.
import type { NativeRouteDefinition } from '@gatehousejs/core';
import { errorBody, streamError } from './errors.js';
import { fromCanonical, streamFromCanonical } from './from-canonical.js';
import { toCanonical } from './to-canonical.js';

export const MESSAGES_ROUTE: NativeRouteDefinition = Object.freeze({
  method: 'POST',
  path: '/anthropic/v1/messages',
  handler: 'messages',
  endpointType: 'llm/v1/chat',
  // The SDKs send x-api-key; `authToken` clients send a bearer token.
  credentials: Object.freeze([{ header: 'x-api-key' }, { header: 'authorization', scheme: 'Bearer' }] as const),
  errorBody,
  streamError,
  translate: Object.freeze({ toCanonical, fromCanonical, streamFromCanonical }),
});
