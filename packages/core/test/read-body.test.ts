import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createWebhookEngine, type BodyRead } from '../src/adapter.js';

// engine.readBody on its own, with streams a real socket rarely produces (a body that ends
// short of its content-length, a stream error mid-body, a stream already read); the
// adapters' conformance table and the hardening matrix cover it over real HTTP.
const engine = createWebhookEngine({ vendor: 'timbrix', secret: 'whsec_test', bodyTimeoutMs: 40, maxBodyBytes: 16 });

function run(headers: Record<string, string>, feed: (stream: PassThrough) => void): Promise<Uint8Array | BodyRead> {
  const stream = new PassThrough();
  return new Promise((resolve) => {
    let calls = 0;
    engine.readBody(stream, headers['content-length'], (read) => {
      calls++;
      // done is called exactly once, whatever the stream does afterwards.
      setTimeout(() => expect(calls).toBe(1), 60);
      resolve(read.ok ? read.body : read);
    });
    feed(stream);
  });
}

const code = (result: unknown) => (result instanceof Uint8Array ? result : [(result as { error: { code: string } }).error.code, (result as { error: { status: number } }).error.status]);

describe('engine.readBody', () => {
  it('joins chunks into the exact bytes', async () => {
    const body = await run({ 'content-length': '6' }, (s) => {
      s.write('abc');
      s.end('def');
    });
    expect(body instanceof Uint8Array && Buffer.from(body).toString()).toBe('abcdef');
  });

  it('an empty body is an empty Buffer', async () => {
    const body = await run({}, (s) => s.end());
    expect(body instanceof Uint8Array && body.length).toBe(0);
  });

  it('refuses a declared length over the limit before reading, and a chunked body once past it', async () => {
    let untouched = false;
    const refused = await run({ 'content-length': '17' }, (s) => {
      // Nothing attached, nothing consumed: the parser answered before reading.
      untouched = s.listenerCount('data') === 0 && s.readableFlowing === null;
    });
    expect(code(refused)).toEqual(['payload_too_large', 413]);
    expect(untouched).toBe(true);
    expect(code(await run({}, (s) => s.write('0123456789abcdefg')))).toEqual(['payload_too_large', 413]);
  });

  it('a body shorter than its content-length, or a stream error, is a failure, not a crash', async () => {
    // An unreadable body is not a slow one: 400 body_unreadable, not 408 body_timeout.
    expect(code(await run({ 'content-length': '10' }, (s) => s.end('short')))).toEqual(['body_unreadable', 400]);
    expect(code(await run({}, (s) => s.destroy(new Error('aborted'))))).toEqual(['body_unreadable', 400]);
  });

  it('a stalled body times out after bodyTimeoutMs', async () => {
    const started = performance.now();
    expect(code(await run({}, (s) => s.write('{"ev')))).toEqual(['body_timeout', 408]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(39);
  });

  it('a stream something else already read is body_not_raw', async () => {
    const stream = new PassThrough();
    stream.resume();
    stream.end();
    await new Promise((r) => stream.once('end', r));
    const read = await new Promise<BodyRead>((resolve) => engine.readBody(stream, undefined, resolve));
    expect(code(read)).toEqual(['body_not_raw', 500]);
  });
});
