// Which OpenAI encoding a model uses, and the encoders themselves, loaded on first use: an
// encoding's rank table costs about half a second and 70 MB, which a gateway that never
// counts tokens should not pay.
import { createRequire } from 'node:module';
import { modelToEncodingMap } from 'gpt-tokenizer/mapping';
import { chatEnabledModels } from 'gpt-tokenizer/modelsChatEnabled.gen';
import type { EncodeOptions } from 'gpt-tokenizer/GptEncoding';

export type EncodingName = 'o200k_base' | 'cl100k_base';

export interface Encoder {
  countTokens(text: string, options?: EncodeOptions): number;
}

// Synchronous on purpose: estimates are computed inside synchronous code (usage records,
// providers that report no usage), and the cost is paid once per process.
const require = createRequire(import.meta.url);
const loaded = new Map<EncodingName, Encoder>();

/** Special-token text in a prompt is counted as text, never rejected (tiktoken's default throws). */
export const AS_TEXT: EncodeOptions = Object.freeze({ disallowedSpecial: new Set<string>() });

// gpt-tokenizer's catalogue: the models it maps to an encoding, and the chat models it knows,
// which use o200k_base unless mapped (the library's own default for current models).
const mapped = modelToEncodingMap as Readonly<Record<string, string>>;
const chatModels: ReadonlySet<string> = new Set(chatEnabledModels);

/**
 * The encoding of an OpenAI model family, or undefined for any other model. Dated or suffixed
 * names ("gpt-4o-2099-01-01", "openai/gpt-4o-mini") resolve through their family's name.
 */
export function encodingFor(model: string | undefined): EncodingName | undefined {
  if (!model) return undefined;
  let name = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  while (name) {
    const encoding = mapped[name] ?? (chatModels.has(name) ? 'o200k_base' : undefined);
    if (encoding !== undefined) return supported(encoding);
    const cut = name.lastIndexOf('-');
    if (cut <= 0) return undefined;
    name = name.slice(0, cut);
  }
  return undefined;
}

/** gpt-oss's harmony encoding has o200k's ranks; the retired GPT-2/3 encodings are left to the approximation. */
function supported(encoding: string): EncodingName | undefined {
  if (encoding === 'o200k_base' || encoding === 'o200k_harmony') return 'o200k_base';
  if (encoding === 'cl100k_base') return 'cl100k_base';
  return undefined;
}

export function encoder(name: EncodingName): Encoder {
  let found = loaded.get(name);
  if (!found) {
    found = require(`gpt-tokenizer/encoding/${name}`) as Encoder;
    loaded.set(name, found);
  }
  return found;
}
