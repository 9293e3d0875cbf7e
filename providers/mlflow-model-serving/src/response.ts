// MLflow scoring-server answers → OpenAI-format answers. A served model's output is whatever
// its Python returns, so only the shapes MLflow's gateway documents are accepted (the seed's
// list); anything else is a 502 that names the provider, the endpoint and the accepted shapes.
//
// chat, completions: {"predictions": str}, {"predictions": [str, ...]},
//                    {"predictions": {"candidates": str}}, {"predictions": {"candidates": [str, ...]}}
// embeddings:        {"predictions": [float, ...]} (one vector), {"predictions": [[float, ...], ...]}
//
// The server reports no token counts and no finish reason: usage is estimated with core's
// estimateTokens (about four characters a token) and every choice finishes with "stop".
// Reference: https://mlflow.org/docs/latest/llms/deployments (MLflow Model Serving provider
// notes; the seed's provider table), mlflow/pyfunc/scoring_server (predictions_to_json).
import {
  createError,
  estimateTokens,
  generateId,
  type ChatResponse,
  type CompletionsResponse,
  type Embedding,
  type GatewayError,
  type Usage,
} from '@gatehousejs/core';

export const PROVIDER_LABEL = 'MLflow Model Serving';

export const TEXT_SHAPES = '{"predictions": str}, {"predictions": [str, ...]}, {"predictions": {"candidates": str}} or {"predictions": {"candidates": [str, ...]}}';
export const EMBEDDING_SHAPES = '{"predictions": [float, ...]} (one vector) or {"predictions": [[float, ...], ...]} (one vector per input)';

export interface Meta {
  readonly created: number;
  readonly model: string;
  /** The endpoint's name, for messages. */
  readonly endpoint: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A short type sketch of a JSON value for an error message: never the data itself. */
export function sketch(value: unknown, depth = 0): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (depth >= 3) return '[...]';
    const kinds = [...new Set(value.slice(0, 20).map((item) => sketch(item, depth + 1)))];
    return `[${kinds.slice(0, 3).join(' | ')}, ...]`;
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{}';
    if (depth >= 3) return '{...}';
    const shown = keys.slice(0, 4).map((key) => `${JSON.stringify(key)}: ${sketch(value[key], depth + 1)}`);
    return `{${shown.join(', ')}${keys.length > 4 ? ', ...' : ''}}`;
  }
  return typeof value;
}

function shapeError(endpoint: string, endpointType: string, accepted: string, got: unknown): GatewayError {
  const what = sketch(got);
  return createError(
    'GW_ERR_UPSTREAM_BAD_RESPONSE',
    `${PROVIDER_LABEL} (endpoint "${endpoint}") answered /invocations with ${what.length > 200 ? `${what.slice(0, 200)}...` : what}, ` +
      `which an ${endpointType} endpoint cannot use. Accepted: ${accepted}.`,
  );
}

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string');

/** The texts of a chat or completions answer, or a 502 for any other shape. */
export function predictionTexts(body: unknown, endpoint: string, endpointType: string): string[] {
  const predictions = isObject(body) ? body.predictions : undefined;
  if (typeof predictions === 'string') return [predictions];
  if (isStringList(predictions)) return predictions;
  if (isObject(predictions) && 'candidates' in predictions) {
    const candidates = predictions.candidates;
    if (typeof candidates === 'string') return [candidates];
    if (isStringList(candidates)) return candidates;
  }
  throw shapeError(endpoint, endpointType, TEXT_SHAPES, body);
}

function estimatedUsage(promptText: string, texts: readonly string[]): Usage {
  const prompt = estimateTokens(promptText);
  const completion = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export function toChatResponse(body: unknown, promptText: string, meta: Meta): ChatResponse {
  const texts = predictionTexts(body, meta.endpoint, 'llm/v1/chat');
  return {
    id: generateId('chatcmpl'),
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: texts.map((content, index) => ({ index, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null })),
    usage: estimatedUsage(promptText, texts),
  };
}

export function toCompletionsResponse(body: unknown, promptText: string, meta: Meta): CompletionsResponse {
  const texts = predictionTexts(body, meta.endpoint, 'llm/v1/completions');
  return {
    id: generateId('cmpl'),
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    choices: texts.map((text, index) => ({ index, text, finish_reason: 'stop', logprobs: null })),
    usage: estimatedUsage(promptText, texts),
  };
}

const isVector = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number' && Number.isFinite(v));

/** One vector per input, or a 502 for any other shape (a count mismatch included). */
export function toEmbeddings(body: unknown, count: number, endpoint: string): Embedding[] {
  const predictions = isObject(body) ? body.predictions : undefined;
  let vectors: number[][];
  if (isVector(predictions)) vectors = [predictions];
  else if (Array.isArray(predictions) && predictions.length > 0 && predictions.every(isVector)) vectors = predictions;
  else throw shapeError(endpoint, 'llm/v1/embeddings', EMBEDDING_SHAPES, body);
  if (vectors.length !== count) {
    throw createError(
      'GW_ERR_UPSTREAM_BAD_RESPONSE',
      `${PROVIDER_LABEL} (endpoint "${endpoint}") answered /invocations with ${vectors.length} embedding${vectors.length === 1 ? '' : 's'} for ${count} inputs. Accepted: ${EMBEDDING_SHAPES}, one vector per input.`,
    );
  }
  return vectors.map((embedding, index) => ({ object: 'embedding', index, embedding }));
}
