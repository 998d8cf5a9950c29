// Without a `logger` option, failures go to Fastify's own logger, `request.log`: a
// throwing handler at level error (50) with the request id, a forgery at info (30).
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import hookproof, { createReceiver } from '@hookproof/fastify';
import { sample, SECRET, signedHeaders } from '../../../conformance/signing.js';

function appWithLog(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { app: Fastify({ loggerInstance: pino({ level }, stream), disableRequestLogging: true }), lines };
}

const delivery = (secret = SECRET) => ({
  method: 'POST' as const, url: '/hooks', payload: sample.timbrix.body,
  headers: { 'content-type': 'application/json', ...Object.fromEntries(signedHeaders('timbrix', sample.timbrix.body, secret)) },
});

describe('default logging through request.log', () => {
  it('a throwing handler: one error record with the webhook fields, the cause as err, and the request id', async () => {
    const { app, lines } = appWithLog('info');
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET }).on('member.added', () => {
      throw new Error('db is down: ECONNREFUSED');
    });
    await app.register(hookproof, { receiver, path: '/hooks' });
    const res = await app.inject(delivery());
    await app.close();
    expect(res.statusCode).toBe(500);
    const ours = lines.filter((l) => l['webhook'] !== undefined);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({
      level: 50, reqId: expect.any(String),
      webhook: { code: 'handler_error', status: 500, vendor: 'timbrix', eventType: 'member.added', eventId: 'evt_t1' },
      err: { message: 'db is down: ECONNREFUSED' },
    });
    expect(String(ours[0]!['msg'])).toContain('Cause: Error: db is down: ECONNREFUSED');
  });

  it('a forgery: one info record, none at warn or above', async () => {
    const { app, lines } = appWithLog('info');
    await app.register(hookproof, { receiver: createReceiver({ vendor: 'timbrix', secret: SECRET }), path: '/hooks' });
    const res = await app.inject(delivery('whsec_guess'));
    await app.close();
    expect(res.statusCode).toBe(401);
    expect(lines.filter((l) => l['webhook'] !== undefined).map((l) => [l['level'], (l['webhook'] as { code: string }).code])).toEqual([[30, 'signature_mismatch']]);
  });
});
