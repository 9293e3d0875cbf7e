// winston, JSON lines by default, every line passed through the redactor last.
import winston from 'winston';
import type { Redactor } from './redact.js';
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

export interface LoggerOptions {
  readonly redactor: Redactor;
  readonly config?: LoggingConfig;
  /** Where lines go; stdout by default. Tests pass a stream to scan what was logged. */
  readonly stream?: NodeJS.WritableStream;
  readonly silent?: boolean;
}

export function createLogger(options: LoggerOptions): winston.Logger {
  const pretty = options.config?.format === 'pretty';
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console({ stderrLevels: [] });
  return winston.createLogger({
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
}
