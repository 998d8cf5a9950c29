import type { IncomingMessage } from 'node:http';
import { WebhookError } from '@hookproof/core';

/** What a prior parser may have left on the request (not an `IncomingMessage` subtype: other libraries type `rawBody` their own way). */
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
 * The exact bytes a prior parser kept (`req.rawBody`, or `express.raw()`'s Buffer body),
 * `body_not_raw` if one consumed the stream and kept none, else `undefined`: core's
 * `engine.deliver` reads the stream then (raw-body's rules plus `bodyTimeoutMs`; checked
 * against raw-body itself in test/reader-vs-raw-body.test.ts).
 */
export function keptBody(req: IncomingMessage): Uint8Array | string | WebhookError | undefined {
  const parsed = req as unknown as ParsedRequest;
  const kept = parsed.rawBody;
  if (kept instanceof Uint8Array || typeof kept === 'string') return kept;
  if (parsed._body !== true && !req.readableEnded) return undefined;
  if (parsed.body instanceof Uint8Array) return parsed.body;
  return new WebhookError('body_not_raw', `A body parser consumed the request before webhook() ran, and kept no raw bytes to verify. ${BODY_NOT_RAW_HINT}`, { hint: BODY_NOT_RAW_HINT });
}

/**
 * The `verify` hook for `express.json()` / `express.raw()` / `express.text()` that keeps
 * the raw bytes on `req.rawBody`, so webhook() can verify after a global parser:
 * `app.use(express.json({ verify: keepRawBody }))`.
 */
export function keepRawBody(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  (req as unknown as ParsedRequest).rawBody = buf;
}
