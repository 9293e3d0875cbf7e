// OpenAI's `encoding_format: base64`: little-endian float32 bytes, base64-encoded. The
// official SDK asks for it by default, so every provider's floats are converted here.
import type { EmbeddingsResponse } from './api/openai-types.js';
import { originalBase64 } from './lazy-vectors.js';
import { copyOwn } from './util/copy.js';

export function floatsToBase64(values: readonly number[]): string {
  const floats = Float32Array.from(values);
  const bytes = new Uint8Array(floats.buffer);
  // Float32Array uses the platform's byte order; every platform Node supports here is little-endian.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function encodeEmbeddings(response: EmbeddingsResponse, format: unknown): EmbeddingsResponse {
  if (format !== 'base64') return response;
  const out = copyOwn(response);
  // A vector that came as base64 and was not touched since goes back as it came.
  out.data = response.data.map((item) => {
    const copy = copyOwn(item);
    copy.embedding = (originalBase64(item.embedding) ?? floatsToBase64(item.embedding)) as unknown as number[];
    return copy;
  });
  return out;
}
