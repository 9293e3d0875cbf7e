// What a failed JSON body parse means to the client, shared by every route that parses bodies.
import { createError, type GatewayError } from '../errors.js';

export interface BodyParserError {
  type?: string;
  limit?: number;
  message?: string;
}

/** The coded error for a body-parser failure; 'aborted' when the client left; undefined when it is no parse error. */
export function bodyParseError(error: BodyParserError | undefined): GatewayError | 'aborted' | undefined {
  switch (error?.type) {
    case 'entity.too.large':
      return createError('GW_ERR_BODY_TOO_LARGE', `The request body is larger than the gateway's limit of ${error.limit} bytes (server.body_limit).`);
    case 'entity.parse.failed':
      return createError('GW_ERR_BAD_REQUEST', `The request body is not valid JSON: ${error.message}`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return createError('GW_ERR_UNSUPPORTED_MEDIA_TYPE', error.message ?? 'Unsupported body encoding.');
    case 'request.aborted':
      return 'aborted';
    default:
      return undefined;
  }
}
