// The Express adapter reads bodies with core's engine.readBody (as Fastify and Koa do),
// which keeps raw-body's rules. This test holds it to them with raw-body itself as the
// oracle: the same stream events go to both readers, and the outcome must match: the
// same bytes, or the same error once raw-body's error is mapped by engine.readError (what
// the adapter answered when it read with raw-body).
import { PassThrough } from 'node:stream';
import getRawBody from 'raw-body';
import { describe, expect, it } from 'vitest';
import { createWebhookEngine, type BodyRead } from '@hookproof/core/adapter';

const LIMIT = 16;
const engine = createWebhookEngine({ vendor: 'aidelly', secret: 'whsec_test', maxBodyBytes: LIMIT, bodyTimeoutMs: 0 });

type Outcome = { bytes: string } | { code: string; status: number };
type Feed = (stream: PassThrough) => void;

const outcome = (read: BodyRead): Outcome =>
  read.ok ? { bytes: Buffer.from(read.body).toString('latin1') } : { code: read.error.code, status: read.error.status };

function ours(contentLength: string | undefined, feed: Feed): Promise<Outcome> {
  const stream = new PassThrough();
  const result = new Promise<Outcome>((resolve) => engine.readBody(stream, contentLength, (read) => resolve(outcome(read))));
  feed(stream);
  return result;
}

function rawBody(contentLength: string | undefined, feed: Feed): Promise<Outcome> {
  const stream = new PassThrough();
  const result = new Promise<Outcome>((resolve) =>
    getRawBody(stream, { length: contentLength ?? null, limit: LIMIT }, (error, body) =>
      resolve(error ? outcome({ ok: false, error: engine.readError(error) }) : outcome({ ok: true, body })),
    ),
  );
  feed(stream);
  return result;
}

const chunks =
  (...parts: string[]): Feed =>
  (stream) => {
    for (const part of parts) stream.write(Buffer.from(part, 'latin1'));
    stream.end();
  };

const cases: [name: string, contentLength: string | undefined, feed: Feed, expected: Outcome][] = [
  ['one chunk, matching content-length', '5', chunks('hello'), { bytes: 'hello' }],
  ['several chunks, matching content-length', '11', chunks('hel', 'lo ', 'world'), { bytes: 'hello world' }],
  ['no content-length (chunked transfer)', undefined, chunks('{"a":', '1}'), { bytes: '{"a":1}' }],
  ['empty body, content-length 0', '0', chunks(), { bytes: '' }],
  ['empty body, no content-length', undefined, chunks(), { bytes: '' }],
  ['exactly the limit', String(LIMIT), chunks('x'.repeat(LIMIT)), { bytes: 'x'.repeat(LIMIT) }],
  ['bytes, not characters (latin1 high bytes)', '4', chunks('\xff\xfe\x00\x80'), { bytes: '\xff\xfe\x00\x80' }],
  ['declared content-length over the limit', String(LIMIT + 1), chunks('x'.repeat(LIMIT + 1)), { code: 'payload_too_large', status: 413 }],
  ['chunked body growing past the limit', undefined, chunks('x'.repeat(10), 'y'.repeat(10)), { code: 'payload_too_large', status: 413 }],
  ['body ends short of its content-length', '10', chunks('short'), { code: 'body_unreadable', status: 400 }],
  ['body runs past its content-length', '3', chunks('longer'), { code: 'body_unreadable', status: 400 }],
  [
    'stream error mid-body',
    '10',
    (stream) => {
      stream.write('part');
      stream.destroy(new Error('socket hang up'));
    },
    { code: 'body_unreadable', status: 400 },
  ],
];

describe('engine.readBody follows raw-body (the oracle) on the same stream', () => {
  for (const [name, contentLength, feed, expected] of cases) {
    it(name, async () => {
      const [mine, theirs] = await Promise.all([ours(contentLength, feed), rawBody(contentLength, feed)]);
      expect(theirs).toEqual(expected);
      expect(mine).toEqual(theirs);
    });
  }

  it('a stream already read to its end', async () => {
    const consumed = async (): Promise<PassThrough> => {
      const stream = new PassThrough();
      stream.end('gone');
      stream.resume();
      await new Promise((r) => stream.once('end', r));
      return stream;
    };
    const first = await consumed();
    const mine = await new Promise<Outcome>((resolve) => engine.readBody(first, '4', (read) => resolve(outcome(read))));
    const second = await consumed();
    const theirs = await new Promise<Outcome>((resolve) =>
      getRawBody(second, { length: '4', limit: LIMIT }, (error, body) => resolve(error ? outcome({ ok: false, error: engine.readError(error) }) : outcome({ ok: true, body }))),
    );
    expect(theirs).toEqual({ code: 'body_not_raw', status: 500 });
    expect(mine).toEqual(theirs);
  });
});
