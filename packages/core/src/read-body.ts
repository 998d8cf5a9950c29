import { BodyBuffer } from './body-buffer.js';
import { WebhookError } from './errors.js';

/**
 * The part of a Node.js Readable (an `http.IncomingMessage`, or a stream a framework hands
 * over instead) that `engine.readBody` uses. Structural, so core needs no `node:` import.
 */
export interface BodyStream {
  readonly readable: boolean;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  removeListener(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  removeListener(event: 'end', listener: () => void): unknown;
  removeListener(event: 'error', listener: (error: unknown) => void): unknown;
  pause(): unknown;
}

/** The exact bytes of a body, or why they could not be read (413, 408, `body_not_raw`). */
export type BodyRead =
  { readonly ok: true; readonly body: Uint8Array } | { readonly ok: false; readonly error: WebhookError };

export interface ReadBodySettings {
  readonly maxBodyBytes: number;
  /** Starts the body timeout; the returned function stops it (engine.watchBody). */
  readonly watch: (onTimeout: (error: WebhookError) => void) => () => void;
  /** Maps a read failure (raw-body's error shapes, stream errors) to a WebhookError. */
  readonly readError: (cause: unknown) => WebhookError;
}

// raw-body's error shapes, so one readError maps every adapter's failures alike.
const TOO_LARGE = { type: 'entity.too.large', status: 413 } as const;
const SIZE_MISMATCH = { type: 'request.size.invalid', status: 400 } as const;
const NOT_READABLE = { type: 'stream.not.readable' } as const;

/**
 * Reads a request body with raw-body's rules: a declared content-length over the limit is
 * refused before anything is read, a chunked body is stopped as soon as it passes the
 * limit, a body that ends short of (or past) its content-length is refused, and a body
 * still arriving after the timeout is given up. `done` is called exactly once, in the
 * tick of the stream's `end` (or failure).
 *
 * Why not raw-body itself: see bench/README.md#a-callback-body-reader-not-raw-body. Its
 * rules are checked against raw-body, as the oracle, in packages/express/test/reader-vs-raw-body.test.ts.
 */
export function readBody(
  settings: ReadBodySettings,
  stream: BodyStream,
  contentLength: string | undefined,
  done: (read: BodyRead) => void,
): void {
  const { maxBodyBytes: limit, readError } = settings;
  const length = contentLength === undefined ? -1 : Number(contentLength);
  if (length > limit) return done({ ok: false, error: readError(TOO_LARGE) });
  // Something before us (a body parser, a preParsing hook) already consumed the stream.
  if (!stream.readable) return done({ ok: false, error: readError(NOT_READABLE) });

  // One growing buffer, not an array of chunks: a body trickled a byte per segment costs what it weighs.
  const body = new BodyBuffer(length, limit);
  let settled = false;
  const stop = settings.watch(fail);

  function finish(): void {
    settled = true;
    stop();
    stream.removeListener('data', onData);
    stream.removeListener('end', onEnd);
    stream.removeListener('error', onError);
  }
  function fail(error: WebhookError): void {
    if (settled) return;
    finish();
    // Read no more: the failure answer closes the connection.
    stream.pause();
    done({ ok: false, error });
  }
  function onData(chunk: Uint8Array): void {
    if (body.size + chunk.byteLength > limit) fail(readError(TOO_LARGE));
    else body.push(chunk);
  }
  function onEnd(): void {
    if (settled) return;
    if (length >= 0 && body.size !== length) return fail(readError(SIZE_MISMATCH));
    finish();
    done({ ok: true, body: body.bytes() });
  }
  function onError(cause: unknown): void {
    fail(readError(cause));
  }

  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('error', onError);
}

/** The part of a Fetch `Request` the Web reader uses. */
export interface WebBodySource {
  readonly body: ReadableStream<Uint8Array> | null;
  readonly bodyUsed: boolean;
  readonly headers: { get(name: string): string | null };
}

/**
 * The same reader for a Fetch `Request` (Web streams): the same limit, the same shared
 * body clock and the same error mapping as `readBody`, so the Fetch port answers exactly as
 * the Node adapters do. On timeout the stream is cancelled, which settles the pending read.
 */
export function readWebBody(settings: ReadBodySettings, request: WebBodySource, done: (read: BodyRead) => void): void {
  const { maxBodyBytes: limit, readError } = settings;
  const declared = request.headers.get('content-length');
  const length = declared === null || declared === '' ? -1 : Number(declared);
  if (length > limit) return done({ ok: false, error: readError(TOO_LARGE) });
  if (request.body === null) return done({ ok: true, body: new Uint8Array(0) });
  if (request.bodyUsed) {
    return done({
      ok: false,
      error: new WebhookError('body_not_raw', 'The request body was already read.', {
        hint: 'Call handleWebhook(request) before anything reads request.json() or request.text(); a body stream can be read once.',
      }),
    });
  }
  const reader = request.body.getReader();
  const body = new BodyBuffer(Number.isFinite(length) ? length : -1, limit);
  let settled = false;
  const finish = (read: BodyRead): void => {
    if (settled) return;
    settled = true;
    stop();
    done(read);
  };
  const stop = settings.watch((error) => {
    finish({ ok: false, error });
    reader.cancel().catch(() => undefined);
  });
  const pump = (): void => {
    reader.read().then(
      (next) => {
        if (settled) return;
        if (next.done) return finish({ ok: true, body: body.bytes() });
        const chunk = next.value;
        if (body.size + chunk.byteLength > limit) {
          finish({ ok: false, error: readError(TOO_LARGE) });
          reader.cancel().catch(() => undefined);
          return;
        }
        body.push(chunk);
        pump();
      },
      (cause: unknown) => finish({ ok: false, error: readError(cause) }),
    );
  };
  pump();
}
