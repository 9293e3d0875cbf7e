// winston, JSON lines by default, every line passed through the redactor last.
import { writeSync } from 'node:fs';
import winston from 'winston';
import type { Redactor } from './redact.js';
import { installFastPath } from './log-fast-path.js';
import type { LoggingConfig } from './config/types.js';

const SPLAT = Symbol.for('splat');

/** Masks secrets in the message and every metadata field, after other formats ran. */
const redactFormat = winston.format((info, opts: unknown) => {
  const redactor = (opts as { redactor?: Redactor }).redactor;
  if (!redactor) return info;
  for (const key of Object.keys(info)) {
    const value = info[key];
    if (typeof value === 'string') info[key] = redactor.redact(value);
    else if (value && typeof value === 'object') info[key] = redactor.redactValue(value);
  }
  delete (info as Record<symbol, unknown>)[SPLAT];
  return info;
});

const MESSAGE = Symbol.for('message');

/**
 * stdout written in blocks: lines wait up to FLUSH_MS, or until FLUSH_BYTES are pending (small
 * enough that a young-generation GC rarely finds lines waiting), and go out in one write. With
 * the access log on there is a line per request, and stdout to a file is a synchronous write (a
 * syscall) each time: once per event-loop turn was still a write per one or two requests under
 * load (5–10 µs of CPU per request on the benchmark machine). Lines still buffered when the
 * process exits are written synchronously on 'exit'.
 */
const FLUSH_MS = 25;
const FLUSH_BYTES = 16 * 1024;

// winston.Transport at run time (winston-transport's class); its typings call the type `transport`.
const TransportBase = (winston as unknown as { Transport: new () => winston.transport }).Transport;

class BufferedStdout extends TransportBase {
  private static readonly open = new Set<BufferedStdout>();
  private static exitHook = false;
  private pending: string[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor() {
    super();
    BufferedStdout.open.add(this);
    if (!BufferedStdout.exitHook) {
      BufferedStdout.exitHook = true;
      process.once('exit', () => {
        for (const transport of BufferedStdout.open) transport.flushSync();
      });
    }
  }

  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    this.push(String(info[MESSAGE]));
    callback();
  }

  /** One line (without its newline), written with the others of its block. */
  push(line: string): void {
    this.pending.push(line);
    this.pendingBytes += line.length + 1;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    else if (this.timer === undefined) {
      // Unref'd: pending lines never keep a process alive; 'exit' writes them.
      this.timer = setTimeout(this.flush, FLUSH_MS);
      this.timer.unref();
    }
  }

  private readonly flush = (): void => {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.pendingBytes = 0;
    process.stdout.write(text);
  };

  private flushSync(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.pendingBytes = 0;
    try {
      writeSync(1, text);
    } catch {
      // stdout is gone: nothing left to tell.
    }
  }

  override close(): void {
    this.flush();
    BufferedStdout.open.delete(this);
  }
}

export interface LoggerOptions {
  readonly redactor: Redactor;
  readonly config?: LoggingConfig;
  /** Where lines go; stdout by default. Tests pass a stream to scan what was logged. */
  readonly stream?: NodeJS.WritableStream;
  readonly silent?: boolean;
}

export function createLogger(options: LoggerOptions): winston.Logger {
  const pretty = options.config?.format === 'pretty';
  const stream = options.stream;
  const buffered = stream ? undefined : new BufferedStdout();
  const transport = stream ? new winston.transports.Stream({ stream }) : buffered!;
  const logger = winston.createLogger({
    level: options.config?.level ?? process.env.GATEHOUSE_LOG_LEVEL ?? 'info',
    silent: options.silent,
    format: winston.format.combine(
      winston.format.errors({ stack: false }),
      winston.format.timestamp(),
      redactFormat({ redactor: options.redactor }),
      pretty ? winston.format.simple() : winston.format.json(),
    ),
    defaultMeta: { service: 'gatehouse' },
    transports: [transport],
  });
  if (!pretty) installFastPath(logger, options.redactor, buffered ? (line) => buffered.push(line) : (line) => stream!.write(`${line}\n`));
  return logger;
}
