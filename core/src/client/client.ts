// The Gatehouse client: MLflow's deployment client (list endpoints, get one, predict) plus the
// streaming it lacks. Built on fetch alone, so the same code runs in Node and in browsers.
import type { BackoffPolicy } from '../util/backoff.js';
import { parseJson, send, type RequestSpec, type Settings } from './http.js';
import { streamChunks } from './stream.js';
import type {
  CallOptions,
  ChatChunk,
  ChatRequest,
  ChatResponse,
  ClientOptions,
  CompletionsRequest,
  CompletionsResponse,
  CompletionsStreamChunk,
  EmbeddingsRequest,
  EmbeddingsResponse,
  Endpoint,
  EndpointPage,
  ListOptions,
  PredictInputs,
  PredictResponse,
  PredictStreamChunk,
} from './types.js';

const DEFAULTS = Object.freeze({ timeoutMs: 600_000, maxRetries: 2, retryDelayMs: 500, maxRetryDelayMs: 8_000, maxRetryAfterMs: 30_000 });

const invocations = (endpoint: string): string => `/endpoints/${encodeURIComponent(endpoint)}/invocations`;

export class GatehouseClient {
  readonly baseUrl: string;
  private readonly settings: Settings;

  constructor(baseUrl: string, options: ClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    const backoff: BackoffPolicy = {
      backoffMs: options.retryDelayMs ?? DEFAULTS.retryDelayMs,
      maxBackoffMs: DEFAULTS.maxRetryDelayMs,
      maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs,
    };
    this.settings = {
      baseUrl: this.baseUrl,
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      maxRetries: options.maxRetries ?? DEFAULTS.maxRetries,
      backoff,
      headers: options.headers ?? {},
      // Called through globalThis: a browser's fetch throws when called as another object's method.
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    };
  }

  /** Every endpoint, following the listing's pages (`next_page_token`) to the end. */
  async listEndpoints(options: ListOptions = {}): Promise<Endpoint[]> {
    const endpoints: Endpoint[] = [];
    let token: string | undefined;
    do {
      const query = new URLSearchParams();
      if (options.pageSize !== undefined) query.set('max_results', String(options.pageSize));
      if (token !== undefined) query.set('page_token', token);
      const search = query.toString();
      const page = await this.json<EndpointPage>({ method: 'GET', path: `/api/2.0/endpoints/${search ? `?${search}` : ''}`, call: options });
      endpoints.push(...page.endpoints);
      token = page.next_page_token;
    } while (token);
    return endpoints;
  }

  getEndpoint(name: string, options: CallOptions = {}): Promise<Endpoint> {
    return this.json({ method: 'GET', path: `/api/2.0/endpoints/${encodeURIComponent(name)}`, call: options });
  }

  /** Query an endpoint (or route); `inputs` is the body for its type. */
  predict(endpoint: string, inputs: ChatRequest, options?: CallOptions): Promise<ChatResponse>;
  predict(endpoint: string, inputs: CompletionsRequest, options?: CallOptions): Promise<CompletionsResponse>;
  predict(endpoint: string, inputs: EmbeddingsRequest, options?: CallOptions): Promise<EmbeddingsResponse>;
  predict(endpoint: string, inputs: PredictInputs, options?: CallOptions): Promise<PredictResponse>;
  predict(endpoint: string, inputs: PredictInputs, options: CallOptions = {}): Promise<PredictResponse> {
    return this.json({ method: 'POST', path: invocations(endpoint), body: { ...inputs, stream: false }, call: options });
  }

  /**
   * Stream a chat or completions answer: `for await (const chunk of client.predictStream(...))`.
   * Failures before the first chunk are retried like predict's; an `event: error` frame after
   * it is thrown as a StreamError.
   */
  predictStream(endpoint: string, inputs: ChatRequest, options?: CallOptions): AsyncGenerator<ChatChunk>;
  predictStream(endpoint: string, inputs: CompletionsRequest, options?: CallOptions): AsyncGenerator<CompletionsStreamChunk>;
  predictStream(endpoint: string, inputs: ChatRequest | CompletionsRequest, options?: CallOptions): AsyncGenerator<PredictStreamChunk>;
  async *predictStream(endpoint: string, inputs: ChatRequest | CompletionsRequest, options: CallOptions = {}): AsyncGenerator<PredictStreamChunk> {
    const { response, attempt } = await send(this.settings, { method: 'POST', path: invocations(endpoint), body: { ...inputs, stream: true }, stream: true, call: options });
    yield* streamChunks<PredictStreamChunk>(response, attempt);
  }

  private async json<T>(spec: RequestSpec): Promise<T> {
    const { response, attempt } = await send(this.settings, spec);
    try {
      return parseJson<T>(await response.text(), response);
    } catch (error) {
      throw attempt.failure(error);
    } finally {
      attempt.end();
    }
  }
}

/** A client for the gateway at `baseUrl` (e.g. `http://127.0.0.1:5000`). */
export function createClient(baseUrl: string, options: ClientOptions = {}): GatehouseClient {
  return new GatehouseClient(baseUrl, options);
}
