import type { WebhookLogger } from './delivery-log.js';
import type { HeadersLike } from './headers.js';

/** Something that emits `close` when the server stops (Node's `http.Server`: `req.socket.server`). */
export interface ClosingSource {
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

/**
 * The logger a handler gets: the delivery's logger (pino, Fastify's `request.log`, the
 * console one), which takes any fields object first and the message second.
 */
export interface HandlerLogger {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

/** Why a handler's `signal` fired. */
export type HandlerAbortReason = 'answered' | 'closing';

/** What a handler gets besides the event: `receiver.on(type, (event, { headers, log, signal }) => ...)`. */
export interface HandlerContext {
  /**
   * The request's headers as the port received them (Node: a record with lower-case names;
   * Fetch: a `Headers`).
   */
  readonly headers: HeadersLike;
  /** The delivery's logger: the `logger` option, or the framework's (Fastify's `request.log`). */
  readonly log: HandlerLogger;
  /**
   * Fires when the vendor was answered while the handler still runs (`handlerTimeoutMs`:
   * 503 `handler_timeout`, or 202 with `earlyAck`), or when the server is closing. Its
   * `reason` is an `Error` whose `message` is `'answered'` or `'closing'`. Pass it to
   * `fetch`, database clients and timers so abandoned work stops.
   */
  readonly signal: AbortSignal;
}

/**
 * One delivery's context, built on first use: a handler that never reads `signal` costs no
 * AbortController (bench/adapters: an object per delivery is measurable).
 */
export class DeliveryContext implements HandlerContext {
  readonly headers: HeadersLike;
  readonly log: HandlerLogger;
  private controller: AbortController | undefined;
  private reason: HandlerAbortReason | undefined;
  private listening: (() => void) | undefined;
  private readonly closing: ClosingSource | undefined;

  constructor(headers: HeadersLike, log: WebhookLogger, closing: ClosingSource | undefined) {
    this.headers = headers;
    this.log = log;
    this.closing = closing;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.reason !== undefined) this.controller.abort(abortError(this.reason));
      else if (this.closing !== undefined && typeof this.closing.once === 'function') {
        const onClose = (): void => this.abort('closing');
        this.closing.once('close', onClose);
        this.listening = onClose;
      }
    }
    return this.controller.signal;
  }

  /** Fires the signal (once); before anyone asked for it, remembers the reason. */
  abort(reason: HandlerAbortReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.controller?.abort(abortError(reason));
    this.release();
  }

  /** The handlers ended: stop listening for the server's close. */
  release(): void {
    if (this.listening === undefined) return;
    this.closing?.off('close', this.listening);
    this.listening = undefined;
  }
}

function abortError(reason: HandlerAbortReason): Error {
  const error = new Error(reason);
  error.name = 'AbortError';
  return error;
}
