import type { IncomingMessage } from 'node:http';
import type { WebhookError } from '@hookproof/core';
import { priorBody } from '@hookproof/core/adapter';

export const BODY_NOT_RAW_HINT =
  'Mount webhook() before the body parser, or keep the raw body: @koa/bodyparser keeps ctx.request.rawBody, ' +
  'koa-body does with koaBody({ includeUnparsed: true }).';

/** Where koa-body 6 keeps the unparsed text with `includeUnparsed: true` (its `koa-body/unparsed` export). */
const UNPARSED = Symbol.for('unparsedBody');

/**
 * The exact bytes a body parser kept: `ctx.request.rawBody` (@koa/bodyparser, koa-body 7+
 * with `includeUnparsed`), else koa-body 6's `ctx.request.body[Symbol.for('unparsedBody')]`
 * (the text they parsed, decoded as UTF-8: exact for JSON vendors, which send UTF-8);
 * `body_not_raw` if one consumed the stream and kept none, else `undefined`: core's
 * `engine.deliver` reads the stream then (raw-body's rules plus the body timeout).
 */
export function keptBody(
  req: IncomingMessage,
  request: { rawBody?: unknown; body?: unknown },
): Uint8Array | string | WebhookError | undefined {
  const { rawBody, body } = request;
  const unparsed = rawBody !== undefined || typeof body !== 'object' || body === null;
  const kept = unparsed ? rawBody : (body as { [UNPARSED]?: unknown })[UNPARSED];
  return priorBody(req, kept, BODY_NOT_RAW_HINT);
}
