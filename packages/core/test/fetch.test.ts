// handleWebhook on Node 20's global Request/Response (the Fetch adapter for Hono,
// Next.js route handlers, Bun, Deno, Workers). Signatures from plain node:crypto.
import { describe, expect, it } from 'vitest';
import { createReceiver, handleWebhook, type HandleWebhookOptions } from '@hookproof/core';
import { readFetchBody } from '@hookproof/core/adapter';
import { bodyDigestId, handSigned, hmacHex, NOW_MS, sampleBodies, SECRET } from './helpers.js';

const URL_ = 'http://127.0.0.1/webhooks/aidelly';
const body = sampleBodies.aidelly;
const now = () => NOW_MS;

function post(init: { body?: BodyInit | null; headers?: Record<string, string> } = {}): Request {
  const { body: b = body, headers = handSigned('aidelly', body) } = init;
  return new Request(URL_, { method: 'POST', body: b, headers, ...(b instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
}

/** A body stream that yields `chunks` chunks of `size` bytes, counting how many were pulled. */
function countingStream(chunks: number, size: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled === chunks) {
        controller.close();
        return;
      }
      state.pulled++;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

async function json(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as Record<string, unknown>;
}

describe('handleWebhook', () => {
  it('a valid delivery is 200 with the event id and type, after the handler ran', async () => {
    const seen: string[] = [];
    const options: HandleWebhookOptions<'aidelly'> = { vendor: 'aidelly', secret: SECRET, now, onEvent: (e) => void seen.push(String(e.type)) };
    const response = await handleWebhook(post(), options);
    expect(response.status).toBe(200);
    const answer = await json(response);
    expect(answer).toMatchObject({ ok: true, type: 'post.published' });
    expect(answer['id']).toMatch(/^sha256:/);
    expect(seen).toEqual(['post.published']);
  });

  it('the same options object keeps its dedupe store across requests', async () => {
    let runs = 0;
    const options: HandleWebhookOptions<'aidelly'> = { vendor: 'aidelly', secret: SECRET, now, onEvent: () => void runs++ };
    expect((await handleWebhook(post(), options)).status).toBe(200);
    const second = await handleWebhook(post(), options);
    expect(second.status).toBe(200);
    expect(await json(second)).toMatchObject({ error: 'duplicate' });
    expect(runs).toBe(1);
  });

  it('takes a receiver and uses its handlers', async () => {
    let published = '';
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, now }).on('post.published', (e) => {
      published = e.payload.data.platform_post_id;
    });
    expect((await handleWebhook(post(), receiver)).status).toBe(200);
    expect(published).toBe('urn:li:share:1');
  });

  it('a handler that throws is 500 handler_error without leaking the message', async () => {
    const response = await handleWebhook(post(), { vendor: 'aidelly', secret: SECRET, now, onEvent: () => { throw new Error('secret internals'); } });
    expect(response.status).toBe(500);
    const answer = await json(response);
    expect(answer['error']).toBe('handler_error');
    expect(JSON.stringify(answer)).not.toContain('secret internals');
  });

  it('a bad signature is 401 with { error, message } only', async () => {
    const response = await handleWebhook(post({ headers: { 'Aidelly-Signature': `sha256=${hmacHex('wrong', body)}` } }), { vendor: 'aidelly', secret: SECRET, now });
    expect(response.status).toBe(401);
    expect(Object.keys(await json(response)).sort()).toEqual(['error', 'message']);
  });

  it.each(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'])('%s is 405 with Allow: POST, and the body is never read', async (method) => {
    const request = new Request(URL_, { method, ...(method === 'PUT' || method === 'DELETE' ? { body } : {}) });
    const response = await handleWebhook(request, { vendor: 'aidelly', secret: SECRET, now });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    if (method !== 'HEAD') expect(await json(response)).toMatchObject({ error: 'method_not_allowed' });
    expect(request.bodyUsed).toBe(false);
  });

  it("failures answered before verification (405, 413, a body already read) reach the receiver's onError too", async () => {
    const seen: string[] = [];
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, now, maxBodyBytes: 64 }).onError((error) => void seen.push(error.code));
    expect((await handleWebhook(new Request(URL_, { method: 'GET' }), receiver)).status).toBe(405);
    expect((await handleWebhook(post(), receiver)).status).toBe(413);
    const used = post({ body: '{}' });
    await used.text();
    expect((await handleWebhook(used, receiver)).status).toBe(500);
    expect(seen).toEqual(['method_not_allowed', 'payload_too_large', 'body_not_raw']);
  });

  it('413 from content-length alone: the body is not read', async () => {
    const { stream, state } = countingStream(100, 1024);
    const request = new Request(URL_, { method: 'POST', body: stream, duplex: 'half', headers: { 'content-length': String(2 * 1024 * 1024) } } as RequestInit);
    const response = await handleWebhook(request, { vendor: 'aidelly', secret: SECRET, now });
    expect(response.status).toBe(413);
    expect(await json(response)).toMatchObject({ error: 'payload_too_large' });
    expect(state.pulled).toBeLessThanOrEqual(1); // a stream may pre-pull one chunk; nothing is read
  });

  it('413 from a streamed body with no content-length: reading stops once past the limit', async () => {
    const { stream, state } = countingStream(1000, 64 * 1024); // would be 64 MB
    const response = await handleWebhook(post({ body: stream, headers: {} }), { vendor: 'aidelly', secret: SECRET, now, maxBodyBytes: 256 * 1024 });
    expect(response.status).toBe(413);
    expect(await json(response)).toMatchObject({ error: 'payload_too_large' });
    expect(state.pulled).toBeLessThan(10);
    expect(state.cancelled).toBe(true);
  });

  it('a streamed body under the limit is read whole and verifies', async () => {
    const bytes = new TextEncoder().encode(body);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
        controller.close();
      },
    });
    const response = await handleWebhook(post({ body: stream }), { vendor: 'aidelly', secret: SECRET, now });
    expect(response.status).toBe(200);
  });

  it('a body already read by the app is 500 body_not_raw', async () => {
    const request = post();
    await request.text();
    const response = await handleWebhook(request, { vendor: 'aidelly', secret: SECRET, now });
    expect(response.status).toBe(500);
    expect(await json(response)).toMatchObject({ error: 'body_not_raw', message: 'The request body was already read.' });
  });

  it('a body stream that errors mid-way is answered, not thrown', async () => {
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(new Uint8Array([0x7b]));
        } else controller.error(new Error('connection reset'));
      },
    });
    const response = await handleWebhook(post({ body: stream }), { vendor: 'aidelly', secret: SECRET, now });
    // Not 408: the stream failed, it was not slow.
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ error: 'body_unreadable' });
    expect(response.headers.get('connection')).toBe('close');
  });

  it('a POST with no body is 401 missing_signature when unsigned, invalid_json when signed', async () => {
    const unsigned = await handleWebhook(new Request(URL_, { method: 'POST' }), { vendor: 'aidelly', secret: SECRET, now });
    expect(unsigned.status).toBe(401);
    const signed = await handleWebhook(new Request(URL_, { method: 'POST', headers: { 'aidelly-signature': `sha256=${hmacHex(SECRET, '')}` } }), { vendor: 'aidelly', secret: SECRET, now });
    expect(signed.status).toBe(400);
    expect(await json(signed)).toMatchObject({ error: 'invalid_json' });
  });

  it('verifies the exact bytes: a non-UTF-8 body signed as bytes is invalid_json, not a signature failure', async () => {
    const bytes = new Uint8Array([0x7b, 0xff, 0x7d]);
    const response = await handleWebhook(post({ body: bytes, headers: { 'aidelly-signature': `sha256=${hmacHex(SECRET, bytes)}` } }), { vendor: 'aidelly', secret: SECRET, now });
    expect(response.status).toBe(400);
  });
});

describe('handleWebhook with a secret from an async function (an edge KV, a secret manager)', () => {
  it('verifies with the looked-up secret, caches it, and answers 503 while the lookup fails', async () => {
    let failing = true;
    let calls = 0;
    const options: HandleWebhookOptions<'aidelly'> = {
      vendor: 'aidelly',
      now,
      secret: async (vendor) => {
        calls += 1;
        if (failing) throw new Error('KV unavailable');
        return vendor === 'aidelly' ? SECRET : '';
      },
    };
    const down = await handleWebhook(post(), options);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ error: 'secret_unavailable' });
    failing = false;
    const res = await handleWebhook(post(), options);
    expect(res.status).toBe(200);
    // The id is the HMAC of the body (Aidelly has no event id), recomputed here with node:crypto.
    expect(await res.json()).toEqual({ ok: true, id: bodyDigestId(body), type: 'post.published' });
    const dup = await handleWebhook(post(), options);
    expect(await dup.json()).toMatchObject({ error: 'duplicate' });
    expect(calls).toBe(2);
  });
});

describe('readFetchBody', () => {
  it('returns the bytes exactly, whatever the chunking', async () => {
    const read = await readFetchBody(post(), 1024 * 1024);
    expect(read.ok && new TextDecoder().decode(read.bytes)).toBe(body);
  });

  it('a body of exactly max bytes passes; max + 1 is payload_too_large', async () => {
    const exact = await readFetchBody(post({ body: 'x'.repeat(100) }), 100);
    expect(exact.ok).toBe(true);
    const over = await readFetchBody(post({ body: 'x'.repeat(101) }), 100);
    expect(over.ok ? 'ok' : over.error.code).toBe('payload_too_large');
  });
});
