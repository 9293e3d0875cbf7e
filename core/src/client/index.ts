// @gatehousejs/core/client: the TypeScript client for Gatehouse (Node and browsers). It imports
// nothing server-side, so a browser bundle takes only this.
export { createClient, GatehouseClient } from './client.js';
export {
  GatehouseError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  RateLimitError,
  ServerError,
  StreamError,
  TimeoutError,
  ConnectionError,
  AbortedError,
  type ErrorDetails,
} from './errors.js';
export type * from './types.js';
