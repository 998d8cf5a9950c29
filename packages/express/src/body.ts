import type { IncomingMessage } from 'node:http';
import { WebhookError, type VendorRef } from '@hookproof/core';
import { type WebhookEngine } from '@hookproof/core/adapter';

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
 * else the stream read by core's `engine.readBody`, the reader the Fastify and Koa
 * adapters use too. It keeps raw-body's rules (413 before reading a declared oversize,
 * stop a chunked body past the limit, refuse a body that does not match its
 * content-length; test/reader-vs-raw-body.test.ts checks them against raw-body itself)
 * plus `bodyTimeoutMs`. raw-body read the stream here before: in an Express 5 process it
 * cost 12 us of the ~170 us a delivery costs (bench/adapters).
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
  engine.readBody(req, req.headers['content-length'], (read) => done(read.ok ? { ok: true, body: read.body, kept: false } : read));
}

/**
 * The `verify` hook for `express.json()` / `express.raw()` / `express.text()` that keeps
 * the raw bytes on `req.rawBody`, so webhook() can verify after a global parser:
 * `app.use(express.json({ verify: keepRawBody }))`.
 */
export function keepRawBody(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  (req as unknown as ParsedRequest).rawBody = buf;
}
