import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
import { WebhookError, type WebhookEngine, type VendorRef } from '@hookproof/core';

export type RawRead =
  | { readonly ok: true; readonly body: Uint8Array | string; readonly kept: boolean }
  | { readonly ok: false; readonly error: WebhookError };

/**
 * What a prior parser may have left on the request. Not an `IncomingMessage` subtype:
 * other libraries augment `IncomingMessage.rawBody` with their own types.
 */
interface ParsedRequest {
  /** Raw bytes kept by `express.json({ verify: keepRawBody })` (or any parser that keeps them). */
  rawBody?: unknown;
  /** body-parser's "I consumed the stream" flag. */
  _body?: unknown;
  body?: unknown;
}

export const BODY_NOT_RAW_HINT =
  'Mount webhook() before express.json() (or any body parser), or keep the raw bytes: app.use(express.json({ verify: keepRawBody })) with keepRawBody from @hookproof/express.';

/**
 * The exact bytes of the request, to `done` (called once): the copy a prior parser kept,
 * else the stream read with raw-body, which checks content-length against the limit
 * before reading (413 without reading the body) and stops a chunked body as soon as it
 * passes the limit. raw-body's callback form and core's `watchBody` clock, not promises:
 * each promise on this path is a measurable share of a delivery (bench/adapters).
 */
export function readRawBody(req: IncomingMessage, engine: WebhookEngine<VendorRef>, done: (read: RawRead) => void): void {
  const parsed = req as unknown as ParsedRequest;
  const kept = parsed.rawBody;
  if (kept instanceof Uint8Array || typeof kept === 'string') return done({ ok: true, body: kept, kept: true });
  if (parsed._body === true || req.readableEnded) {
    // express.raw() leaves the exact bytes as req.body.
    if (parsed.body instanceof Uint8Array) return done({ ok: true, body: parsed.body, kept: true });
    return done({
      ok: false,
      error: new WebhookError('body_not_raw', `A body parser consumed the request before webhook() ran, and kept no raw bytes to verify. ${BODY_NOT_RAW_HINT}`, {
        hint: BODY_NOT_RAW_HINT,
      }),
    });
  }
  let settled = false;
  // After a timeout, the read ends later in an error (the answer closes the socket): ignored.
  const finish = (read: RawRead): void => {
    if (settled) return;
    settled = true;
    stop();
    done(read);
  };
  const stop = engine.watchBody((error) => finish({ ok: false, error }));
  getRawBody(req, { length: req.headers['content-length'] ?? null, limit: engine.maxBodyBytes }, (error, body) =>
    finish(error ? { ok: false, error: engine.readError(error) } : { ok: true, body, kept: false }),
  );
}

/**
 * The `verify` hook for `express.json()` / `express.raw()` / `express.text()` that keeps
 * the raw bytes on `req.rawBody`, so webhook() can verify after a global parser:
 * `app.use(express.json({ verify: keepRawBody }))`.
 */
export function keepRawBody(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  (req as unknown as ParsedRequest).rawBody = buf;
}
