import type { IncomingMessage } from 'node:http';
import { WebhookError, type VendorRef } from '@hookproof/core';
import { type BodyRead, type WebhookEngine } from '@hookproof/core/adapter';

export type RawRead =
  | { readonly ok: true; readonly body: Uint8Array | string; readonly kept: boolean }
  | { readonly ok: false; readonly error: WebhookError };

export const BODY_NOT_RAW_HINT =
  'Mount webhook() before the body parser, or keep the raw body: @koa/bodyparser keeps ctx.request.rawBody, koa-body does with koaBody({ includeUnparsed: true }).';

/** Where koa-body 6 keeps the unparsed text with `includeUnparsed: true` (its `koa-body/unparsed` export). */
const UNPARSED = Symbol.for('unparsedBody');

/**
 * The raw text a body parser kept, if any: `ctx.request.rawBody` (@koa/bodyparser, and
 * koa-body 7+ with `includeUnparsed`), else koa-body 6's `ctx.request.body[Symbol.for('unparsedBody')]`.
 */
export function keptRawBody(request: { rawBody?: unknown; body?: unknown }): unknown {
  const { rawBody, body } = request;
  if (rawBody !== undefined || typeof body !== 'object' || body === null) return rawBody;
  return (body as { [UNPARSED]?: unknown })[UNPARSED];
}

/**
 * The exact bytes of the request, to `done` (called once). `@koa/bodyparser` and koa-body
 * (`includeUnparsed`) keep the text they parsed (`keptRawBody`), decoded as UTF-8: exact for
 * JSON vendors, which send UTF-8. Otherwise core's `engine.readBody` reads the stream with raw-body's rules (413
 * with nothing read for a declared oversize, stop a chunked body past the limit) and the
 * body timeout. A callback, not a promise: the middleware answers from one promise per
 * delivery (bench/adapters).
 */
export function readRawBody(req: IncomingMessage, rawBody: unknown, engine: WebhookEngine<VendorRef>, done: (read: RawRead) => void): void {
  if (typeof rawBody === 'string' || rawBody instanceof Uint8Array) return done({ ok: true, body: rawBody, kept: true });
  if (req.readableEnded) {
    return done({
      ok: false,
      error: new WebhookError('body_not_raw', `A body parser consumed the request before webhook() ran, and kept no raw bytes to verify. ${BODY_NOT_RAW_HINT}`, {
        hint: BODY_NOT_RAW_HINT,
      }),
    });
  }
  engine.readBody(req, req.headers['content-length'], (read: BodyRead) => done(read.ok ? { ok: true, body: read.body, kept: false } : read));
}
