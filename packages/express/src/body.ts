import type { IncomingMessage } from 'node:http';
import type { WebhookError } from '@hookproof/core';
import { priorBody } from '@hookproof/core/adapter';

/** What a prior parser may have left on the request (other libraries type `rawBody` their own way). */
interface ParsedRequest {
  /** Raw bytes kept by `express.json({ verify: keepRawBody })` (or any parser that keeps them). */
  rawBody?: unknown;
  /** body-parser's "I consumed the stream" flag. */
  _body?: unknown;
  body?: unknown;
}

export const BODY_NOT_RAW_HINT =
  'Mount webhook() before express.json() (or any body parser), or keep the raw bytes: ' +
  'app.use(express.json({ verify: keepRawBody })) with keepRawBody from @hookproof/express.';

/**
 * The exact bytes a prior parser kept (`req.rawBody`, or `express.raw()`'s Buffer body),
 * `body_not_raw` if one consumed the stream and kept none, else `undefined`: core's
 * `engine.deliver` reads the stream then (checked against raw-body in test/reader-vs-raw-body.test.ts).
 */
export function keptBody(req: IncomingMessage): Uint8Array | string | WebhookError | undefined {
  const parsed = req as unknown as ParsedRequest;
  return priorBody(req, parsed.rawBody, BODY_NOT_RAW_HINT, parsed._body === true, parsed.body);
}

/**
 * The `verify` hook for `express.json()` / `express.raw()` / `express.text()` that keeps
 * the raw bytes on `req.rawBody`, so webhook() can verify after a global parser:
 * `app.use(express.json({ verify: keepRawBody }))`.
 */
export function keepRawBody(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  (req as unknown as ParsedRequest).rawBody = buf;
}
