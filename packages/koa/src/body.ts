import type { IncomingMessage } from 'node:http';
import { WebhookError, type VendorRef } from '@hookproof/core';
import { type BodyRead, type WebhookEngine } from '@hookproof/core/adapter';

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
 * The exact bytes a body parser kept (`keptRawBody`; `@koa/bodyparser` and koa-body keep the
 * text they parsed, decoded as UTF-8: exact for JSON vendors, which send UTF-8),
 * `body_not_raw` if one consumed the stream and kept none, else `undefined`: core's
 * `engine.deliver` reads the stream then (raw-body's rules plus the body timeout).
 */
export function keptBody(req: IncomingMessage, rawBody: unknown): Uint8Array | string | WebhookError | undefined {
  if (typeof rawBody === 'string' || rawBody instanceof Uint8Array) return rawBody;
  if (!req.readableEnded) return undefined;
  return new WebhookError('body_not_raw', `A body parser consumed the request before webhook() ran, and kept no raw bytes to verify. ${BODY_NOT_RAW_HINT}`, {
    hint: BODY_NOT_RAW_HINT,
  });
}
