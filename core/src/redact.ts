// Secret redaction. Every configured credential is registered here when the config loads;
// log lines, error messages and usage records pass through `redact` before they leave.

const MASK = '[REDACTED]';
// Shapes of provider keys that an upstream error may echo back, even partly masked
// (OpenAI answers "Incorrect API key provided: sk-proj-****abcd"), and Gatehouse's own issued keys
// (`gh_<id>_<secret>`), which the gateway never holds in clear to register.
const KEY_SHAPES = /\b(?:sk-ant-[\w*-]{4,}|sk-[\w*-]{4,}|AIza[\w-]{10,}|AKIA[0-9A-Z]{12,}|xai-[\w*-]{4,}|hf_[\w*]{6,}|gh_[0-9a-f]{16}_[\w-]{8,})/g;

export class Redactor {
  private secrets: string[] = [];

  /** Register a secret value. Very short values are ignored: masking them would mangle text. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 6 || this.secrets.includes(secret)) return;
    this.secrets.push(secret);
    // Longest first, so that a secret containing another is masked whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.secrets.length;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out.replace(KEY_SHAPES, MASK);
  }

  /** Deep copy of a JSON-like value with every string redacted. */
  redactValue<T>(value: T): T {
    return redactDeep(value, this) as T;
  }
}

// `path` holds the objects being copied above this one: a value that contains itself is
// written as "[Circular]" (as the log's JSON format does) instead of recursing forever.
function redactDeep(value: unknown, redactor: Redactor, path: Set<object> = new Set()): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (!value || typeof value !== 'object' || value instanceof Error) return value;
  if (path.has(value)) return '[Circular]';
  path.add(value);
  let out: unknown;
  if (Array.isArray(value)) out = value.map((item) => redactDeep(item, redactor, path));
  else {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = redactDeep(item, redactor, path);
    out = copy;
  }
  path.delete(value);
  return out;
}
