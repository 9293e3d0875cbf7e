// Response bytes for the upstream emulator, built once at startup so that serving a request
// costs the emulator almost nothing and the benchmark measures the gateway, not the emulator.

const CREATED = 1_731_000_000;
const CHAT_MODEL = 'gpt-4o-mini-2024-07-18';
const FINGERPRINT = 'fp_0ba0d124f1';
export const EMBEDDING_DIMENSIONS = 1536;

// ~20 token-sized pieces, as a real model streams them.
const PIECES = [
  'Gate', 'house', ' is', ' an', ' AI', ' gateway', ':', ' it', ' routes', ' each',
  ' request', ' to', ' the', ' configured', ' provider', ' and', ' streams', ' the', ' answer', ' back.',
];
const TEXT = PIECES.join('');
const USAGE = { prompt_tokens: 24, completion_tokens: PIECES.length, total_tokens: 24 + PIECES.length };

const json = (value) => Buffer.from(JSON.stringify(value));
const frame = (value) => `data: ${typeof value === 'string' ? value : JSON.stringify(value)}\n\n`;

function chatCompletion() {
  return json({
    id: 'chatcmpl-bench00000000000000000001',
    object: 'chat.completion',
    created: CREATED,
    model: CHAT_MODEL,
    choices: [{
      index: 0,
      message: { role: 'assistant', content: TEXT, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    }],
    usage: {
      ...USAGE,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  });
}

// OpenAI sends `usage: null` on every chunk when include_usage is on, then a choices: [] usage chunk.
function chatFrames(includeUsage) {
  const base = { id: 'chatcmpl-bench00000000000000000002', object: 'chat.completion.chunk', created: CREATED, model: CHAT_MODEL, service_tier: 'default', system_fingerprint: FINGERPRINT };
  const usage = includeUsage ? { usage: null } : {};
  const chunk = (delta, finish) => ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...usage });
  const frames = [frame(chunk({ role: 'assistant', content: '', refusal: null }, null))];
  for (const piece of PIECES) frames.push(frame(chunk({ content: piece }, null)));
  frames.push(frame(chunk({}, 'stop')));
  if (includeUsage) frames.push(frame({ ...base, choices: [], usage: USAGE }));
  frames.push(frame('[DONE]'));
  return frames.map((f) => Buffer.from(f));
}

function textCompletion() {
  return json({
    id: 'cmpl-bench00000000000000000001',
    object: 'text_completion',
    created: CREATED,
    model: 'gpt-3.5-turbo-instruct',
    choices: [{ text: TEXT, index: 0, logprobs: null, finish_reason: 'stop' }],
    usage: USAGE,
  });
}

function completionFrames(includeUsage) {
  const base = { id: 'cmpl-bench00000000000000000002', object: 'text_completion', created: CREATED, model: 'gpt-3.5-turbo-instruct' };
  const chunk = (text, finish) => ({ ...base, choices: [{ text, index: 0, logprobs: null, finish_reason: finish }] });
  const frames = PIECES.map((piece) => frame(chunk(piece, null)));
  frames.push(frame(chunk('', 'stop')));
  if (includeUsage) frames.push(frame({ ...base, choices: [], usage: USAGE }));
  frames.push(frame('[DONE]'));
  return frames.map((f) => Buffer.from(f));
}

// A deterministic unit vector; the values only need to look like a real embedding.
function embeddingVector() {
  const values = new Float32Array(EMBEDDING_DIMENSIONS);
  let norm = 0;
  for (let i = 0; i < values.length; i++) {
    values[i] = Math.sin(i * 12.9898) * 0.5;
    norm += values[i] * values[i];
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < values.length; i++) values[i] /= norm;
  return values;
}

function embeddingParts() {
  const vector = embeddingVector();
  const floatJson = '[' + Array.from(vector, (v) => Number(v.toPrecision(8))).join(',') + ']';
  const base64 = JSON.stringify(Buffer.from(vector.buffer).toString('base64'));
  // Each item is: itemHead, its index, then the tail holding the vector.
  return {
    head: Buffer.from('{"object":"list","data":['),
    itemHead: Buffer.from('{"object":"embedding","index":'),
    floatTail: Buffer.from(`,"embedding":${floatJson}}`),
    base64Tail: Buffer.from(`,"embedding":${base64}}`),
  };
}

export function buildPayloads() {
  return {
    chat: chatCompletion(),
    chatFrames: { plain: chatFrames(false), usage: chatFrames(true) },
    completion: textCompletion(),
    completionFrames: { plain: completionFrames(false), usage: completionFrames(true) },
    embedding: embeddingParts(),
  };
}

/** The embeddings response for `count` inputs: precomputed vector bytes, per-request glue only. */
export function embeddingsResponse(parts, count, base64, promptTokens) {
  const tail = base64 ? parts.base64Tail : parts.floatTail;
  const pieces = [parts.head];
  for (let i = 0; i < count; i++) {
    if (i > 0) pieces.push(COMMA);
    pieces.push(parts.itemHead, Buffer.from(String(i)), tail);
  }
  pieces.push(Buffer.from(`],"model":"text-embedding-3-small","usage":{"prompt_tokens":${promptTokens},"total_tokens":${promptTokens}}}`));
  return Buffer.concat(pieces);
}

const COMMA = Buffer.from(',');
