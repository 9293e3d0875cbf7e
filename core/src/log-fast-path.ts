// The JSON log line without winston's stream machinery. An access line per request went through
// a child logger's Object.assign of symbol-keyed objects, a Transform stream, four formats and
// safe-stable-stringify: a tenth of a request's CPU. This writes the same line (same fields in
// the same order, same redaction) straight to the sink, and hands anything unusual (an Error, a
// format string, a circular or BigInt value) back to winston's own path.
import type winston from 'winston';
import type { Redactor } from './redact.js';

const LEVEL = Symbol.for('level');
const SPLAT = Symbol.for('splat');
/** A child logger's own fields (its parents' included), kept where `log` can find them. */
const FIELDS = Symbol('gatehouse.childFields');

type Info = Record<string | symbol, unknown>;
type Logger = winston.Logger & { [FIELDS]?: Record<string, unknown> };

/** Formats an info object as `winston.format.json()` after timestamp and redaction would, or undefined to fall back. */
export function jsonLine(info: Info, redactor: Redactor): string | undefined {
  if (info instanceof Error || info.message instanceof Error) return undefined;
  info.timestamp = timestamp();
  for (const key of Object.keys(info)) {
    const value = info[key];
    if (typeof value === 'string') info[key] = redactor.redact(value);
    else if (value && typeof value === 'object') {
      if (value instanceof Error) return undefined;
      info[key] = redactor.redactValue(value);
    }
  }
  delete info[SPLAT];
  try {
    return JSON.stringify(info);
  } catch {
    return undefined; // circular or BigInt: winston's stringify copes
  }
}

function plainMeta(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || value instanceof Error || Array.isArray(value)) return false;
  const meta = value as Record<string, unknown>;
  // winston folds these three into the line in its own way.
  return meta.message === undefined && meta.stack === undefined && meta.cause === undefined;
}

/**
 * `"key":value` pairs of a JSON object without its braces, redacted; undefined when winston must
 * do it. One JSON.stringify of the whole object (V8 prints a plain object far faster than a loop
 * printing field by field); a field that redaction changes is put in a copy first.
 */
function jsonFields(fields: Record<string, unknown>, redactor: Redactor, taken?: ReadonlySet<string>): string | undefined {
  // An object with its own toJSON (a Date, say) would print as something else than its fields.
  if (typeof (fields as { toJSON?: unknown }).toJSON === 'function') return undefined;
  let copy: Record<string, unknown> | undefined;
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) continue;
    if (taken?.has(key)) return undefined; // a field given twice: winston's merge decides
    const value = fields[key];
    let clean: unknown;
    if (typeof value === 'string') clean = redactor.redact(value);
    else if (typeof value === 'bigint') return undefined;
    else if (value === null || typeof value !== 'object') continue; // printed as JSON prints it, or left out
    else if (value instanceof Error) return undefined;
    else clean = redactor.redactValue(value);
    if (clean !== value) (copy ??= Object.assign({}, fields))[key] = clean;
  }
  const text = JSON.stringify(copy ?? fields);
  return text.length === 2 ? '' : text.slice(1, -1);
}

// The timestamp of lines written within one millisecond is the same string: made once.
let stampMs = -1;
let stamp = '';
function timestamp(): string {
  const now = Date.now();
  if (now !== stampMs) {
    stampMs = now;
    stamp = new Date(now).toISOString();
  }
  return stamp;
}

/** The fixed part of a logger's lines (a child's fields, then the default ones), serialised once. */
interface Prefix {
  readonly text: string;
  readonly keys: ReadonlySet<string>;
  /** How many secrets the redactor knew when `text` was redacted: a new one means redact again. */
  readonly secrets: number;
}

/**
 * Takes over `write` (which level methods with one argument and child loggers call), `log`
 * (level methods with metadata) and `child`, for JSON output to `sink`. Level filtering and
 * `silent` behave as before; everything else is winston's.
 */
export function installFastPath(root: winston.Logger, redactor: Redactor, sink: (line: string) => void): void {
  const enabled = (logger: winston.Logger, level: string) => !logger.silent && logger.levels[level] !== undefined && logger.levels[level]! <= logger.levels[logger.level]!;
  const emit = (info: Info, fallback: () => unknown): void => {
    const line = jsonLine(info, redactor);
    if (line === undefined) fallback();
    else sink(line);
  };

  const slowWrite = root.write.bind(root);
  const write = (info: Info): boolean => {
    const level = (info[LEVEL] ?? info.level) as string;
    if (root.levels[level] === undefined) return slowWrite(info); // winston reports the unknown level
    if (enabled(root, level)) emit(info, () => slowWrite(info));
    return true;
  };

  const slowLog = root.log as (this: Logger, ...args: unknown[]) => Logger;
  const prefixes = new WeakMap<object, Prefix | null>();
  // Computed once per logger (the default fields are fixed at creation), again when the redactor
  // has learnt a secret since (a reload, a stored secret); null: no fast path.
  const prefixOf = (logger: Logger): Prefix | null => {
    let prefix = prefixes.get(logger);
    if (prefix === null || (prefix !== undefined && prefix.secrets === redactor.size)) return prefix;
    const fields = { ...logger[FIELDS], ...root.defaultMeta };
    const text = jsonFields(fields, redactor);
    prefix = text === undefined ? null : { text, keys: new Set([...Object.keys(fields), 'level', 'message', 'timestamp']), secrets: redactor.size };
    prefixes.set(logger, prefix);
    return prefix;
  };

  function log(this: Logger, level: unknown, message?: unknown, ...splat: unknown[]): Logger {
    const meta = splat[0];
    if (typeof level !== 'string' || typeof message !== 'string' || splat.length > 1 || (meta !== undefined && !plainMeta(meta)) || message.includes('%') || root.levels[level] === undefined) {
      return slowLog.call(this, level, message, ...splat);
    }
    if (!enabled(root, level)) return this;
    const prefix = prefixOf(this);
    let line: string | undefined;
    if (prefix !== null) {
      try {
        const fields = meta === undefined ? '' : jsonFields(meta as Record<string, unknown>, redactor, prefix.keys);
        // winston's key order: the child's fields, the default ones, the call's, level, message, timestamp.
        if (fields !== undefined) {
          const head = prefix.text === '' ? fields : fields === '' ? prefix.text : `${prefix.text},${fields}`;
          const tail = `"level":${JSON.stringify(level)},"message":${JSON.stringify(redactor.redact(message))},"timestamp":"${timestamp()}"`;
          line = head === '' ? `{${tail}}` : `{${head},${tail}}`;
        }
      } catch {
        line = undefined;
      }
    }
    if (line === undefined) return slowLog.call(this, level, message, ...splat);
    sink(line);
    return this;
  }

  function child(this: Logger, fields: Record<string, unknown>): Logger {
    const parent = this;
    const made = Object.create(parent) as Logger;
    made[FIELDS] = Object.assign({}, parent[FIELDS], fields);
    // Object.assign, not `{ ...fields, ...info }`, once per line (README, Performance, Hidden classes).
    (made as unknown as { write: typeof write }).write = (info: Info) => parent.write(Object.assign({}, fields, info));
    return made;
  }

  Object.assign(root, { write, log, child });
}
