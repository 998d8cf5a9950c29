import { WebhookError } from './errors.js';
import { checkBodyTimeout } from './guard.js';
import { checkMaxBodyBytes } from './resolve.js';
import { DEFAULT_MAX_BODY_BYTES } from './verify.js';
import { readBody, readWebBody, type BodyStream, type BodyRead, type WebBodySource } from './read-body.js';

// The body-reading half of the adapter engine (engine.ts): one timeout clock per engine,
// the mapping of read failures to WebhookErrors, and the reader bound to both.

interface PendingRead {
  readonly deadline: number;
  onTimeout: ((error: WebhookError) => void) | undefined;
  prev: PendingRead | undefined;
  next: PendingRead | undefined;
}

const NOOP = (): void => {};

/**
 * One unref'd timer per engine, not one per request; pending reads in arrival (= deadline)
 * order in a doubly linked list. Why: see bench/README.md#one-body-timer-per-engine.
 */
function bodyClockFor(bodyTimeoutMs: number) {
  let head: PendingRead | undefined;
  let tail: PendingRead | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (ms: number) => {
    timer = setTimeout(expire, ms);
    (timer as { unref?: () => void }).unref?.();
  };
  function unlink(entry: PendingRead): void {
    if (entry.prev === undefined) head = entry.next;
    else entry.prev.next = entry.next;
    if (entry.next === undefined) tail = entry.prev;
    else entry.next.prev = entry.prev;
    entry.prev = entry.next = undefined;
    entry.onTimeout = undefined;
  }
  function expire(): void {
    timer = undefined;
    const now = performance.now();
    while (head !== undefined) {
      const read = head;
      if (read.deadline > now) return arm(read.deadline - now);
      const onTimeout = read.onTimeout!;
      unlink(read);
      onTimeout(
        new WebhookError('body_timeout', `The request body did not arrive within ${bodyTimeoutMs} ms.`, {
          hint: 'A stalled or very slow sender; raise `bodyTimeoutMs` if the vendor really is this slow.',
        }),
      );
    }
  }
  const watchBody = (onTimeout: (error: WebhookError) => void): (() => void) => {
    if (bodyTimeoutMs === 0) return NOOP;
    const entry: PendingRead = { deadline: performance.now() + bodyTimeoutMs, onTimeout, prev: tail, next: undefined };
    if (tail === undefined) head = entry;
    else tail.next = entry;
    tail = entry;
    if (timer === undefined) arm(bodyTimeoutMs);
    return () => {
      // Called once the read settles, possibly after the timeout already removed it.
      if (entry.onTimeout !== undefined) unlink(entry);
    };
  };
  const readWithin = <T>(read: Promise<T>): Promise<T> => {
    if (bodyTimeoutMs === 0) return read;
    return new Promise<T>((resolve, reject) => {
      const stop = watchBody(reject);
      // Once the timeout answered, the read fails later (the socket is closed): handled here, a no-op.
      read.then(
        (value) => {
          stop();
          resolve(value);
        },
        (error: unknown) => {
          stop();
          reject(error);
        },
      );
    });
  };
  return { watchBody, readWithin };
}

function readErrorFor(maxBodyBytes: number) {
  return (cause: unknown): WebhookError => {
    if (cause instanceof WebhookError) return cause;
    const info = (typeof cause === 'object' && cause !== null ? cause : {}) as { type?: unknown; status?: unknown };
    if (info.type === 'entity.too.large' || info.status === 413) {
      return new WebhookError('payload_too_large', `The body is larger than ${maxBodyBytes} bytes.`, {
        cause,
        hint: 'Raise `maxBodyBytes` if the vendor really sends bodies this large.',
      });
    }
    if (info.type === 'stream.not.readable') {
      return new WebhookError('body_not_raw', 'The request body was already read by another middleware.', {
        cause,
        hint: 'Mount the webhook route before any body parser, or keep the raw bytes (e.g. express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })).',
      });
    }
    if (info.type === 'request.size.invalid') {
      return new WebhookError('body_unreadable', 'The request body did not match its content-length.', { cause });
    }
    // The stream failed (the client aborted, a proxy cut it): not slowness, so not 408.
    return new WebhookError('body_unreadable', 'The request body could not be read.', {
      cause,
      hint: 'The connection failed while the body was being read; the vendor retries.',
    });
  };
}

/** Everything an engine needs to read bodies: the shared timeout clock, the error mapping, the reader. */
export function bodyReading(maxBodyBytes: number, bodyTimeoutMs: number): BodyReader {
  const clock = bodyClockFor(bodyTimeoutMs);
  const settings = { maxBodyBytes, watch: clock.watchBody, readError: readErrorFor(maxBodyBytes) };
  return {
    ...clock,
    readError: settings.readError,
    readBody: (stream: BodyStream, contentLength: string | undefined, done: (read: BodyRead) => void) =>
      readBody(settings, stream, contentLength, done),
    readWebBody: (request: WebBodySource, done: (read: BodyRead) => void) => readWebBody(settings, request, done),
  };
}

/** Settings of `bodyReader`. */
export interface BodyReaderOptions {
  /** Stop past this many bytes (413). Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined;
  /** Give up on a body still arriving after this many ms (408). Default 10 000; 0 = no limit. */
  readonly bodyTimeoutMs?: number | undefined;
}

/** The body reader every port uses: Node streams (`readBody`) and Web streams (`readWebBody`). */
export interface BodyReader {
  /** Reads a Node.js stream with raw-body's rules, the limit and the timeout; `done` is called once. Never throws. */
  readBody(stream: BodyStream, contentLength: string | undefined, done: (read: BodyRead) => void): void;
  /** Reads a Fetch `Request` body with the same limit, timeout and errors; `done` is called once. Never throws. */
  readWebBody(request: WebBodySource, done: (read: BodyRead) => void): void;
  /** A body-read failure (raw-body's error shapes, a stream error) as a `WebhookError`. */
  readError(cause: unknown): WebhookError;
  /** Starts the body timeout on the shared clock; the returned function stops it. */
  watchBody(onTimeout: (error: WebhookError) => void): () => void;
  /** Races a read against the body timeout. */
  readWithin<T>(read: Promise<T>): Promise<T>;
}

/**
 * The one body reader (limit, one shared timeout clock, the same error codes) for code
 * outside a pipeline, such as a CLI's local server: `bodyReader().readBody(req,
 * req.headers['content-length'], (read) => ...)`.
 */
export function bodyReader(options: BodyReaderOptions = {}): BodyReader {
  checkMaxBodyBytes(options.maxBodyBytes);
  return bodyReading(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, checkBodyTimeout(options.bodyTimeoutMs));
}
