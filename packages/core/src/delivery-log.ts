import type { WebhookError, WebhookErrorCode } from './errors.js';

/** The levels hookproof logs at, most severe first. */
export type WebhookLogLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * The structured fields of one log record: what identifies the delivery and how it
 * failed. Never a secret, a signature, a header or the body.
 */
export interface WebhookLogFields {
  readonly webhook: {
    readonly code: WebhookErrorCode;
    readonly status: number;
    readonly vendor?: string | undefined;
    readonly eventType?: string | undefined;
    readonly eventId?: string | undefined;
  };
  /** What the handler, store or secret lookup threw (pino and Fastify print it under `err`). */
  readonly err?: unknown;
}

/**
 * Where failures are logged: pino, Fastify's `request.log` / `app.log`, or anything with
 * these four methods taking `(fields, message)`, pino's argument order. `console` has the
 * opposite habit (message first), so it is not one: use `consoleLogger()` for it.
 */
export interface WebhookLogger {
  error(fields: WebhookLogFields, message: string): void;
  warn(fields: WebhookLogFields, message: string): void;
  info(fields: WebhookLogFields, message: string): void;
  debug(fields: WebhookLogFields, message: string): void;
}

/**
 * The level of each failure. A new error code must be given one here (compile error
 * otherwise). Failures the app must act on are `error`; the vendor's own deliveries that
 * hookproof could not use are `warn` (a schema change, a proxy that rewrote the body);
 * what anyone on the internet can send (bad or missing signatures, stale timestamps, a
 * wrong address, method, size or encoding) is `info`, because an attacker controls its
 * rate; normal redeliveries are `debug`.
 */
export const logLevels: Readonly<Record<WebhookErrorCode, WebhookLogLevel>> = {
  missing_signature: 'info',
  missing_timestamp: 'info',
  malformed_signature: 'info',
  malformed_timestamp: 'info',
  signature_mismatch: 'info',
  timestamp_out_of_tolerance: 'info',
  invalid_auth_header: 'info',
  forbidden_ip: 'info',
  method_not_allowed: 'info',
  payload_too_large: 'info',
  unsupported_encoding: 'info',
  body_timeout: 'info',
  body_unreadable: 'info',
  invalid_json: 'warn',
  invalid_payload: 'warn',
  duplicate: 'debug',
  in_progress: 'debug',
  body_not_raw: 'error',
  handler_error: 'error',
  handler_timeout: 'error',
  store_unavailable: 'error',
  secret_unavailable: 'error',
  queue_unavailable: 'error',
  internal_error: 'error',
};

const RANK: Readonly<Record<WebhookLogLevel, number>> = { error: 0, warn: 1, info: 2, debug: 3 };

/** What one delivery's failure is about. */
export interface LoggedDelivery {
  readonly vendor?: string | undefined;
  readonly eventType?: string | undefined;
  readonly eventId?: string | undefined;
}

const MAX_TEXT = 300;

/**
 * One line of text from something a peer or a handler chose: control characters (a
 * newline would forge a second log line) are escaped and the length is bounded.
 */
export function oneLine(text: string, max = MAX_TEXT): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) =>
    c === '\n'
      ? '\\n'
      : c === '\r'
        ? '\\r'
        : c === '\t'
          ? '\\t'
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escaped.length > max ? `${escaped.slice(0, max)}...` : escaped;
}

/** `Error: message` for an error (not its stack: one line), a bounded string otherwise. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return oneLine(`${cause.name}: ${cause.message}`);
  if (typeof cause === 'string') return oneLine(cause);
  if (typeof cause === 'object' && cause !== null)
    return oneLine(`non-Error ${Object.prototype.toString.call(cause).slice(8, -1)} thrown`);
  return oneLine(`${typeof cause} ${String(cause)} thrown`);
}

/** A failure as the record and the one-line message a logger gets. */
export interface LogRecord {
  readonly level: WebhookLogLevel;
  readonly fields: WebhookLogFields;
  readonly message: string;
}

/**
 * The record for one failure: the code, status, vendor, event type and id, the error's
 * message, and what was thrown (`err`, for a handler, store or secret lookup failure).
 * Never the signature, the secret, headers or the body: `WebhookError` messages name
 * headers, not their values.
 */
export function failureRecord(error: WebhookError, delivery: LoggedDelivery | undefined): LogRecord {
  const vendor = delivery?.vendor ?? error.vendor;
  const eventType = delivery?.eventType;
  const eventId = delivery?.eventId;
  const cause = error.cause;
  const about = [vendor, eventType, eventId]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .map((part) => oneLine(part, 120))
    .join(' ');
  const because = cause === undefined ? '' : ` Cause: ${describeCause(cause)}`;
  const message = `hookproof: ${about === '' ? '' : `${about}: `}${error.code} (${error.status}): ${oneLine(error.message)}${because}`;
  const webhook = { code: error.code, status: error.status, vendor, eventType, eventId };
  return {
    level: logLevels[error.code] ?? 'error',
    fields: cause === undefined ? { webhook } : { webhook, err: cause },
    message,
  };
}

/** Sends a record to a logger; a logger that throws or lacks the method changes nothing. */
export function writeRecord(logger: WebhookLogger, record: LogRecord): void {
  try {
    const write = (logger as Partial<WebhookLogger>)[record.level];
    if (typeof write === 'function') write.call(logger, record.fields, record.message);
  } catch {
    // Logging must not change the answer to the vendor.
  }
}

/**
 * A logger that prints one line per failure at `level` or above: `error` with
 * `console.error`, the others with `console.warn`. The default where there is no
 * framework logger, at `'warn'`: every failure the app must act on, none of the
 * signature failures anyone can send (use `consoleLogger('info')` to see those too).
 */
export function consoleLogger(level: WebhookLogLevel = 'warn'): WebhookLogger {
  if (typeof level !== 'string' || !Object.hasOwn(RANK, level))
    throw new TypeError(
      `@hookproof: consoleLogger(level): level must be 'error', 'warn', 'info' or 'debug', got ${String(level)}.`,
    );
  const max = RANK[level];
  const at = (own: WebhookLogLevel) => (_fields: WebhookLogFields, message: string) => {
    if (RANK[own] > max) return;
    if (own === 'error') console.error(message);
    else console.warn(message);
  };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** The default: `consoleLogger('warn')`. */
export const defaultLogger: WebhookLogger = consoleLogger('warn');

/**
 * Checks a `logger` option: a logger, `false` (off), or undefined (the default). A setup
 * mistake is a `TypeError` naming the fix.
 */
export function checkLogger(logger: unknown, name = '@hookproof'): WebhookLogger | false | undefined {
  if (logger === undefined || logger === false) return logger;
  // `console` takes the message first and prints objects over several lines: use the one-line logger.
  if (typeof console !== 'undefined' && logger === console) return defaultLogger;
  if (typeof logger === 'object' && logger !== null && typeof (logger as Partial<WebhookLogger>).error === 'function')
    return logger as WebhookLogger;
  throw new TypeError(
    `${name}: \`logger\` must be a logger with error/warn/info/debug methods taking (fields, message) (pino, Fastify's app.log), consoleLogger(), or false to turn logging off.`,
  );
}
