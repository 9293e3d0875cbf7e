// Embedding vectors kept as the text they arrived in. An embeddings answer is mostly its
// vectors: parsing 1,536 floats and printing them again was a third of such a request's CPU, for
// numbers the gateway only passes on. A vector from `parseEmbeddingsJson` is a real array to
// anything that reads it (it is parsed on first access), and the gateway's own JSON writer
// (`stringifyJson`) copies its original text when nobody did.
import { randomBytes } from 'node:crypto';

// Marks where a vector's text goes in the writer's output, and where a vector was while parsing;
// random per process, so that no upstream or caller string can be taken for one. (The parse
// mark sits inside a JSON string literal, so it has no control character.)
const NONCE = randomBytes(6).toString('hex');
const MARK = `\u0000vector-${NONCE}:`;
const PARSE_MARK = `gatehouse-vector-${NONCE}:`;
const MARKED = new RegExp(`"${MARK.replace('\u0000', '\\\\u0000')}(\\d+)"`, 'g');

let collected: string[] | undefined;

// One JSON number, exactly as the JSON grammar has it: what is copied into our output is valid.
const NUMBER = '-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?';
const NUMBER_ARRAY = new RegExp(`^\\[\\s*(?:${NUMBER}\\s*(?:,\\s*${NUMBER}\\s*)*)?\\]$`);

/**
 * An array filled by `values()` on first access. Until then it writes itself as `text()` in
 * `stringifyJson` (and as its values in plain JSON.stringify).
 */
function lazyArray(values: () => number[], text: () => string, untouched?: (isUntouched: () => boolean) => void): number[] {
  const target: number[] = [];
  let filled = false;
  const fill = (): void => {
    if (filled) return;
    filled = true;
    for (const value of values()) target.push(value);
  };
  untouched?.(() => !filled);
  // Untouched, it writes itself as its original text; once read (and maybe changed), as itself.
  const toJSON = (): unknown => {
    if (!collected) return values();
    collected.push(text());
    return `${MARK}${collected.length - 1}`;
  };
  return new Proxy(target, {
    get(t, key, receiver) {
      if (key === 'toJSON' && !filled) return toJSON;
      fill();
      return Reflect.get(t, key, receiver);
    },
    has: (t, key) => (fill(), Reflect.has(t, key)),
    ownKeys: (t) => (fill(), Reflect.ownKeys(t)),
    getOwnPropertyDescriptor: (t, key) => (fill(), Reflect.getOwnPropertyDescriptor(t, key)),
    set: (t, key, value, receiver) => (fill(), Reflect.set(t, key, value, receiver)),
    deleteProperty: (t, key) => (fill(), Reflect.deleteProperty(t, key)),
    defineProperty: (t, key, descriptor) => (fill(), Reflect.defineProperty(t, key, descriptor)),
  });
}

/** `text` must be a JSON array of numbers (checked by the caller with `isNumberArray`). */
export function lazyNumberArray(text: string): number[] {
  return lazyArray(() => JSON.parse(text) as number[], () => text);
}

// The base64 text of vectors that arrived as base64, while nobody has read them.
const base64Texts = new WeakMap<object, { text: string; untouched: () => boolean }>();

/** OpenAI's base64 embedding (little-endian float32) as a lazy array that remembers its text. */
export function lazyBase64Vector(text: string): number[] {
  const values = (): number[] => {
    const bytes = Buffer.from(text, 'base64');
    const out = new Array<number>(Math.floor(bytes.length / 4));
    for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
    return out;
  };
  let untouched: () => boolean = () => false;
  const vector = lazyArray(values, () => JSON.stringify(values()), (check) => (untouched = check));
  base64Texts.set(vector, { text, untouched: () => untouched() });
  return vector;
}

/** The base64 a vector arrived as, if nothing has read or changed it since. */
export function originalBase64(vector: unknown): string | undefined {
  if (typeof vector !== 'object' || vector === null) return undefined;
  const source = base64Texts.get(vector);
  return source?.untouched() ? source.text : undefined;
}

export function isNumberArray(text: string): boolean {
  return NUMBER_ARRAY.test(text);
}

/** JSON.stringify, with untouched lazy vectors written as the text they came in. */
export function stringifyJson(value: unknown): string {
  const outer = collected;
  collected = [];
  try {
    const text = JSON.stringify(value);
    if (collected.length === 0) return text;
    const vectors = collected;
    return text.replace(MARKED, (_match, index: string) => vectors[Number(index)]!);
  } finally {
    collected = outer;
  }
}

const KEY = '"embedding":';

/**
 * JSON.parse for an OpenAI-format embeddings answer, with each `data[i].embedding` that is an
 * array of numbers kept lazy. Anything unusual (a vector that is not plain numbers, a key in an
 * odd place) is parsed the plain way.
 */
export function parseEmbeddingsJson(text: string): unknown {
  const placeholder = PARSE_MARK;
  const vectors: string[] = [];
  let skeleton = '';
  let from = 0;
  let at = text.indexOf(KEY);
  while (at >= 0) {
    let open = at + KEY.length;
    while (open < text.length && ' \t\r\n'.includes(text[open]!)) open++;
    const close = text[open] === '[' ? text.indexOf(']', open) : -1;
    if (close < 0) return JSON.parse(text);
    const array = text.slice(open, close + 1);
    if (!isNumberArray(array)) return JSON.parse(text);
    skeleton += `${text.slice(from, open)}"${placeholder}${vectors.length}"`;
    vectors.push(array);
    from = close + 1;
    at = text.indexOf(KEY, from);
  }
  if (vectors.length === 0) return JSON.parse(text);
  skeleton += text.slice(from);
  let parsed: { data?: unknown };
  try {
    parsed = JSON.parse(skeleton) as { data?: unknown };
  } catch {
    return JSON.parse(text);
  }
  // Every placeholder must have landed where a vector belongs, once.
  let placed = 0;
  if (Array.isArray(parsed?.data)) {
    for (const item of parsed.data as { embedding?: unknown }[]) {
      const e = item?.embedding;
      if (typeof e !== 'string' || !e.startsWith(placeholder)) continue;
      const index = Number(e.slice(placeholder.length));
      if (vectors[index] === undefined) return JSON.parse(text);
      item.embedding = lazyNumberArray(vectors[index]);
      placed++;
    }
  }
  return placed === vectors.length ? parsed : JSON.parse(text);
}
