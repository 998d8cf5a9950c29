import { PassThrough } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createWebhookEngine } from '@hookproof/core/adapter';
import { rawBodyParser, ReadFailure } from '../src/body.js';

// The parser never fails the request (Fastify would answer in its own format): a read
// failure becomes a ReadFailure body that the preHandler answers. core's read-body tests
// cover the reading rules; the conformance table covers both over HTTP.
const engine = createWebhookEngine({ vendor: 'timbrix', secret: 'whsec_test', maxBodyBytes: 4 });
const parse = rawBodyParser(engine);

function run(headers: Record<string, string>, body: string): Promise<{ error: unknown; body: unknown }> {
  const stream = new PassThrough();
  return new Promise((resolve) => {
    parse({ headers } as unknown as FastifyRequest, stream, (error, parsed) => resolve({ error, body: parsed }));
    stream.end(body);
  });
}

describe('fastify raw body parser', () => {
  it('hands Fastify the exact bytes', async () => {
    const { error, body } = await run({ 'content-length': '3' }, 'a\u00e9');
    expect(error).toBeNull();
    expect(body instanceof Uint8Array && [...body]).toEqual([0x61, 0xc3, 0xa9]);
  });

  it('turns a read failure into a ReadFailure body, never a parser error', async () => {
    const { error, body } = await run({ 'content-length': '5' }, '12345');
    expect(error).toBeNull();
    expect(body).toBeInstanceOf(ReadFailure);
    expect([(body as ReadFailure).error.code, (body as ReadFailure).error.status]).toEqual(['payload_too_large', 413]);
  });
});
