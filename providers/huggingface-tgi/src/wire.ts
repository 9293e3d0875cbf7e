// TGI's own wire format (https://huggingface.github.io/text-generation-inference/, the OpenAPI
// spec: GenerateRequest, GenerateResponse, Details, StreamResponse, StreamDetails, Token,
// ErrorResponse). Only the fields the provider reads are typed; answers are checked, not trusted.

/** `details.finish_reason` (FinishReason in the spec). */
export type TGIFinishReason = 'length' | 'eos_token' | 'stop_sequence';

export interface TGIToken {
  id?: number;
  text?: string;
  logprob?: number | null;
  special?: boolean;
}

/** `details` of POST /generate (Details). `prefill` is filled when `decoder_input_details` is true. */
export interface TGIDetails {
  finish_reason?: string;
  generated_tokens?: number;
  prefill?: unknown[];
  seed?: number | null;
}

/** POST /generate answer (GenerateResponse). */
export interface TGIGenerateResponse {
  generated_text?: unknown;
  details?: TGIDetails | null;
}

/** `details` of the last /generate_stream event (StreamDetails). */
export interface TGIStreamDetails {
  finish_reason?: string;
  generated_tokens?: number;
  input_length?: number;
  seed?: number | null;
}

/** One /generate_stream event (StreamResponse); an ErrorResponse mid-stream has `error` instead. */
export interface TGIStreamEvent {
  index?: number;
  token?: TGIToken;
  generated_text?: string | null;
  details?: TGIStreamDetails | null;
  error?: unknown;
  error_type?: unknown;
}
