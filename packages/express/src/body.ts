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
 * The exact bytes of the request: the copy a prior parser kept, else the stream read
 * with raw-body, which checks content-length against the limit before reading (413
 * without reading the body) and stops a chunked body as soon as it passes the limit.
 */
export async function readRawBody(req: IncomingMessage, engine: WebhookEngine<VendorRef>): Promise<RawRead> {
  const parsed = req as unknown as ParsedRequest;
  const kept = parsed.rawBody;
  if (kept instanceof Uint8Array || typeof kept === 'string') return { ok: true, body: kept, kept: true };
  if (parsed._body === true || req.readableEnded) {
    // express.raw() leaves the exact bytes as req.body.
    if (parsed.body instanceof Uint8Array) return { ok: true, body: parsed.body, kept: true };
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

/**
 * The `verify` hook for `express.json()` / `express.raw()` / `express.text()` that keeps
 * the raw bytes on `req.rawBody`, so webhook() can verify after a global parser:
 * `app.use(express.json({ verify: keepRawBody }))`.
 */
export function keepRawBody(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  (req as unknown as ParsedRequest).rawBody = buf;
}
