import type { FastifyRequest } from 'fastify';
import { WebhookError, type VendorRef } from '@hookproof/core';
import { type BodyStream, type WebhookEngine } from '@hookproof/core/adapter';

export const BODY_NOT_RAW_HINT =
  'Another content-type parser in this scope turned the body into an object. Register @hookproof/fastify last in ' +
  'the webhook scope (it parses every content type there as a raw Buffer), ' +
  'or keep the bytes on request.rawBody (fastify-raw-body).';

export function bodyNotRaw(): WebhookError {
  const message = `The body was parsed before verification, and no raw bytes were kept. ${BODY_NOT_RAW_HINT}`;
  return new WebhookError('body_not_raw', message, { hint: BODY_NOT_RAW_HINT });
}

/**
 * What the parser leaves as `request.body` when the body could not be read. The parser
 * never fails the request itself: Fastify would answer with its own error format through
 * the scope's error handler, which a plugin sharing the user's scope must not replace.
 * The preHandler answers instead, with the same `{ error, message }` as every failure.
 */
export class ReadFailure {
  constructor(readonly error: WebhookError) {}
}

/**
 * A callback content-type parser that keeps the exact bytes, read by core's
 * `engine.readBody` (raw-body's rules plus the body timeout). Fastify's own
 * `parseAs: 'buffer'` is not used because its failures (FST_ERR_CTP_BODY_TOO_LARGE, ...)
 * can only be reshaped by an error handler on the scope.
 */
export function rawBodyParser(engine: WebhookEngine<VendorRef>) {
  type Done = (error: null, body: Uint8Array | ReadFailure) => void;
  return (request: FastifyRequest, payload: BodyStream, done: Done): void => {
    const length = request.headers['content-length'];
    engine.readBody(payload, length, (read) => done(null, read.ok ? read.body : new ReadFailure(read.error)));
  };
}
