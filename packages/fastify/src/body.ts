import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
import type { FastifyRequest } from 'fastify';
import { WebhookError, type VendorRef, type WebhookEngine } from '@hookproof/core';

export const BODY_NOT_RAW_HINT =
  "Another content-type parser in this scope turned the body into an object. Register @hookproof/fastify last in the webhook scope (it parses every content type there as a raw Buffer), or keep the bytes on request.rawBody (fastify-raw-body).";

export function bodyNotRaw(): WebhookError {
  return new WebhookError('body_not_raw', `The body was parsed before verification, and no raw bytes were kept. ${BODY_NOT_RAW_HINT}`, { hint: BODY_NOT_RAW_HINT });
}

/**
 * A content-type parser that keeps the exact bytes. It reads the stream with raw-body,
 * which refuses a declared content-length over the limit before reading anything and
 * stops a chunked body as soon as it passes the limit. A read failure is not thrown
 * (Fastify would answer with its own error format): it is left for the preHandler, which
 * answers with the same `{ error, message }` as every other failure.
 */
export function rawBodyParser(engine: WebhookEngine<VendorRef>, failures: WeakMap<object, WebhookError>) {
  return (request: FastifyRequest, payload: IncomingMessage): Promise<Buffer | undefined> =>
    engine.readWithin(getRawBody(payload, { length: request.headers['content-length'] ?? null, limit: engine.maxBodyBytes })).catch((cause: unknown) => {
      failures.set(request, engine.readError(cause));
      return undefined;
    });
}

export function isRaw(value: unknown): value is Uint8Array | string {
  return value instanceof Uint8Array || typeof value === 'string';
}
