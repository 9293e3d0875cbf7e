// The console's only way to the gateway: same-origin fetch with the admin key the operator
// signed in with (kept in sessionStorage, so it goes with the tab). Errors carry the gateway's
// message, which already names the field at fault.
const STORAGE_KEY = 'gatehouse.adminKey';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

export interface Api {
  readonly key: string;
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** The raw response of a request with the admin key (streams: read response.body). */
  raw(path: string, init?: RequestInit): Promise<Response>;
}

export function savedKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

export function rememberKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

async function failure(response: Response): Promise<ApiError> {
  let message = `${response.status} ${response.statusText}`;
  let param: string | undefined;
  try {
    const body = (await response.json()) as { error?: { message?: string; param?: string } | string; message?: string };
    if (typeof body.error === 'object' && body.error?.message) {
      message = body.error.message;
      param = body.error.param ?? undefined;
    } else if (typeof body.error === 'string') message = body.error;
    else if (body.message) message = body.message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, message, param);
}

/** `onRefused`: the admin API answered 401 (the key was changed or is wrong): sign in again. */
export function createApi(key: string, onRefused?: (error: ApiError) => void): Api {
  const raw = (path: string, init: RequestInit = {}) =>
    fetch(path, { ...init, headers: { authorization: `Bearer ${key}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) } });
  const json = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const response = await raw(path, init);
    if (!response.ok) {
      const error = await failure(response);
      if (response.status === 401) onRefused?.(error);
      throw error;
    }
    return (await response.json()) as T;
  };
  return {
    key,
    raw,
    get: (path) => json(path),
    send: (method, path, body) => json(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  };
}
