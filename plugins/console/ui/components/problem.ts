// Which form field an API error is about: the error's `param` ("model.config.api_key"), or the
// JSON pointer a config error names ("/endpoints/1/limit/calls"), matched to the longest form
// field it falls under. The message itself is always the server's.
import { ApiError } from '../api';

export interface Problem {
  readonly message: string;
  /** One of the form's fields; undefined: about the form as a whole. */
  readonly field?: string;
}

const POINTER = /\/(?:endpoints|routes)\/\d+\/([\w/]+)/;

function pathOf(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.param) return error.param;
  return POINTER.exec(error.message)?.[1]?.replaceAll('/', '.');
}

export function problemOf(error: unknown, fields: readonly string[]): Problem {
  const message = error instanceof Error ? error.message : String(error);
  const path = pathOf(error);
  if (path === undefined) return { message };
  const field = fields.filter((f) => path === f || path.startsWith(`${f}.`)).sort((a, b) => b.length - a.length)[0];
  return field ? { message, field } : { message };
}
