import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
import { WebhookError, type VendorRef, type WebhookEngine } from '@hookproof/core';

export type RawRead =
  | { readonly ok: true; readonly body: Uint8Array | string; readonly kept: boolean }
  | { readonly ok: false; readonly error: WebhookError };

export const BODY_NOT_RAW_HINT =
  "Mount webhook() before the body parser, or use @koa/bodyparser, which keeps ctx.request.rawBody.";

/**
 * The exact bytes of the request. `@koa/bodyparser` keeps `ctx.request.rawBody`, a string
 * decoded as UTF-8: exact for JSON vendors, which send UTF-8. Otherwise the stream is read
 * with raw-body, which checks content-length against the limit before reading (413 with
 * nothing read) and stops a chunked body as soon as it passes the limit.
 */
export async function readRawBody(req: IncomingMessage, rawBody: unknown, engine: WebhookEngine<VendorRef>): Promise<RawRead> {
  if (typeof rawBody === 'string' || rawBody instanceof Uint8Array) return { ok: true, body: rawBody, kept: true };
  if (req.readableEnded) {
    return {
      ok: false,
      error: new WebhookError('body_not_raw', `A body parser consumed the request before webhook() ran, and kept no raw bytes to verify. ${BODY_NOT_RAW_HINT}`, {
        hint: BODY_NOT_RAW_HINT,
      }),
    };
  }
  try {
    const body = await engine.readWithin(getRawBody(req, { length: req.headers['content-length'] ?? null, limit: engine.maxBodyBytes }));
    return { ok: true, body, kept: false };
  } catch (cause) {
    return { ok: false, error: engine.readError(cause) };
  }
}
