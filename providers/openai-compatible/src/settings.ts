// What a provider built on the OpenAI-compatible base says about its server: where it is,
// how to authenticate, which operations it offers. Everything here is read once, in create().
import type { ParamMap } from '@gatehousejs/core';

/** The upstream operations of an OpenAI-compatible API (one URL each). */
export type Operation = 'chat' | 'completions' | 'embeddings';

/** The instance methods; a server that lacks one leaves it out and core answers 501. */
export type Method = 'chat' | 'chatStream' | 'completions' | 'completionsStream' | 'embeddings';

export const ALL_METHODS: readonly Method[] = Object.freeze(['chat', 'chatStream', 'completions', 'completionsStream', 'embeddings']);

/** OpenAI's paths relative to the API base (https://platform.openai.com/docs/api-reference). */
export const OPENAI_PATHS: Readonly<Record<Operation, string>> = Object.freeze({
  chat: 'chat/completions',
  completions: 'completions',
  embeddings: 'embeddings',
});

export interface OpenAICompatibleSettings {
  /** Name for messages and errors ('OpenAI', 'Azure OpenAI', 'Ollama'). Never a URL or a key. */
  readonly provider: string;
  /** The API base the operation paths are appended to, e.g. 'https://api.openai.com/v1'. */
  readonly baseUrl: string;
  /** Sent with every request, authentication included. Names are case-insensitive. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Query parameters added to every URL (Azure's `api-version`). */
  readonly query?: Readonly<Record<string, string>>;
  /** Paths that differ from OpenAI's, relative to `baseUrl`. */
  readonly paths?: Readonly<Partial<Record<Operation, string>>>;
  /** Full URL of an operation, when base + path + query cannot express it. Called once per operation, in create(). */
  readonly url?: (operation: Operation) => string;
  /** Methods to offer; all five by default. */
  readonly methods?: readonly Method[];
  /**
   * Parameter translation per operation, read by core's `translateParams` (unknown parameters
   * pass through unless the map says otherwise). Without a map the request is sent as it is.
   */
  readonly params?: Readonly<Partial<Record<Operation, ParamMap>>>;
  /** Shown in the endpoint listing. */
  readonly capabilities?: Readonly<Record<string, unknown>>;
  /**
   * The instance's chat and completions answers are returned as they are (no wrapper edits them),
   * so an answer that needed no normalising is sent to the client as the upstream's own bytes
   * (core's keepVerbatim). Leave it off when wrapping those methods to change their answers.
   */
  readonly verbatimAnswers?: boolean;
}
