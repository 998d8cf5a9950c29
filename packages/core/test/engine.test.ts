// The request flow every framework adapter shares: option resolution (vendor id, list,
// 'auto'; secret string, array, map, async function), failure responses and onError,
// and the receiver mode. Signatures come from plain node:crypto (helpers.ts).
import { describe, expect, it, vi } from 'vitest';
import { createReceiver, runtimeCrypto, WebhookError, type VendorId, type VendorRef } from '@hookproof/core';
import { createWebhookEngine, type EngineResult } from '@hookproof/core/adapter';
import { bodyDigestId, builtIns, deferred, type BuiltIn, handSigned, hmacHex, NOW_MS, sampleBodies, sampleType, SECRET } from './helpers.js';

const now = () => NOW_MS;

function delivery(vendor: BuiltIn, secret = SECRET, body = sampleBodies[vendor]) {
  return { body: Buffer.from(body), headers: { 'content-type': 'application/json', ...handSigned(vendor, body, secret) } };
}

function codeOf(result: EngineResult<VendorRef>): string {
  return result.next ? 'next' : result.error?.code ?? `status ${result.status}`;
}

describe('options mode: verify, then pass on', () => {
  it('passes a verified delivery on with its typed event, for every vendor', async () => {
    for (const vendor of builtIns) {
      const engine = createWebhookEngine({ vendor, secret: SECRET, now });
      expect(engine.mode).toBe('verify');
      const result = await engine.handle(delivery(vendor));
      expect(result.next, vendor).toBe(true);
      expect(result.status).toBe(200);
      expect(result.event?.vendor).toBe(vendor);
      expect(String(result.event?.type)).toBe(sampleType[vendor]);
      expect(result.event?.raw).toBe(sampleBodies[vendor]);
    }
  });

  it('answers a failure with the WebhookError status and { error, message } only', async () => {
    const engine = createWebhookEngine({ vendor: 'aidelly', secret: SECRET });
    const result = await engine.handle(delivery('aidelly', 'another-secret'));
    expect(result.next).toBe(false);
    expect(result.status).toBe(401);
    expect(result.body).toEqual({ error: 'signature_mismatch', message: expect.any(String) });
    expect(Object.keys(result.body as object)).toEqual(['error', 'message']);
    const shown = JSON.stringify(result.body);
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(hmacHex(SECRET, sampleBodies.aidelly));
  });

  it('never rejects, whatever the request holds', async () => {
    const engine = createWebhookEngine({ vendor: ['aidelly', 'timbrix'], secret: { aidelly: SECRET, timbrix: 't-secret' } });
    for (const request of [{ body: undefined, headers: undefined }, { body: {}, headers: null }, { body: 42, headers: { 'Aidelly-Signature': ['x', 'y'] } }]) {
      const result = await engine.handle(request);
      expect(result.next).toBe(false);
      expect(result.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('exposes the body limit (default 1 MiB) for adapters to stop reading early', () => {
    expect(createWebhookEngine({ vendor: 'aidelly', secret: SECRET }).maxBodyBytes).toBe(1024 * 1024);
    expect(createWebhookEngine({ vendor: 'aidelly', secret: SECRET, maxBodyBytes: 10 }).maxBodyBytes).toBe(10);
  });
});

describe('several vendors on one route', () => {
  it('an array of vendors picks the vendor by its signature header', async () => {
    const secrets = { aidelly: SECRET, timbrix: 't-secret', autoposting: SECRET } as const;
    const engine = createWebhookEngine({ vendor: ['aidelly', 'timbrix', 'autoposting'], secret: secrets, now });
    for (const vendor of ['aidelly', 'timbrix', 'autoposting'] as const) {
      const result = await engine.handle(delivery(vendor, secrets[vendor]));
      expect(result.event?.vendor).toBe(vendor);
    }
    const audenci = await engine.handle(delivery('audenci'));
    expect(codeOf(audenci)).toBe('missing_signature');
    expect(audenci.error?.hint).toContain('Aidelly-Signature');
  });

  it("'auto' accepts every built-in vendor, each with its own secret", async () => {
    const secrets = Object.fromEntries(builtIns.map((v) => [v, `${v}-secret`])) as Record<VendorId, string>;
    const engine = createWebhookEngine({ vendor: 'auto', secret: secrets, now });
    for (const vendor of builtIns) expect((await engine.handle(delivery(vendor, secrets[vendor]))).event?.vendor).toBe(vendor);
    expect(codeOf(await engine.handle({ body: '{}', headers: { 'x-hub-signature-256': 'sha256=00' } }))).toBe('missing_signature');
  });

  it("'auto' with a secret map accepts only the mapped vendors, each with its own secret", async () => {
    const engine = createWebhookEngine({ vendor: 'auto', secret: { aidelly: 'a-secret', timbrix: ['old', 't-secret'] }, now });
    expect((await engine.handle(delivery('aidelly', 'a-secret'))).event?.vendor).toBe('aidelly');
    expect((await engine.handle(delivery('timbrix', 't-secret'))).event?.vendor).toBe('timbrix');
    expect(codeOf(await engine.handle(delivery('timbrix', 'a-secret')))).toBe('signature_mismatch');
    expect(codeOf(await engine.handle(delivery('audenci', 'a-secret')))).toBe('missing_signature');
  });

  it('a map with a list of vendors needs an entry for each', () => {
    expect(() => createWebhookEngine({ vendor: ['aidelly', 'timbrix'], secret: { aidelly: 'a' } })).toThrow(/no entry for "timbrix"/);
  });
});

describe('secret from an async function (secret managers)', () => {
  it('asks once per vendor within secretCacheMs, again after it, and shares one lookup between concurrent requests', async () => {
    let t = NOW_MS;
    const lookup = vi.fn(async (vendor: VendorId) => (vendor === 'aidelly' ? 'a-secret' : 't-secret'));
    const engine = createWebhookEngine({ vendor: ['aidelly', 'timbrix'], secret: lookup, secretCacheMs: 1000, now: () => t });
    const results = await Promise.all([engine.handle(delivery('aidelly', 'a-secret')), engine.handle(delivery('aidelly', 'a-secret'))]);
    expect(results.map(codeOf)).toEqual(['next', 'next']);
    expect(codeOf(await engine.handle(delivery('timbrix', 't-secret')))).toBe('next');
    expect(lookup.mock.calls).toEqual([['aidelly'], ['timbrix']]);
    t += 1001;
    expect(codeOf(await engine.handle(delivery('aidelly', 'a-secret')))).toBe('next');
    expect(lookup).toHaveBeenCalledTimes(3);
  });

  it('secretCacheMs: 0 asks every time (a rotated secret is picked up at once)', async () => {
    let current = 'first';
    const engine = createWebhookEngine({ vendor: 'aidelly', secret: () => current, secretCacheMs: 0 });
    expect(codeOf(await engine.handle(delivery('aidelly', 'first')))).toBe('next');
    current = 'second';
    expect(codeOf(await engine.handle(delivery('aidelly', 'second')))).toBe('next');
    expect(codeOf(await engine.handle(delivery('aidelly', 'first')))).toBe('signature_mismatch');
  });

  it('a failing lookup is a 503 secret_unavailable (the vendor retries) and is not cached', async () => {
    let calls = 0;
    const engine = createWebhookEngine({
      vendor: 'aidelly',
      secret: async () => {
        calls += 1;
        if (calls === 1) throw new Error('vault sealed');
        return calls === 2 ? '' : SECRET;
      },
    });
    const first = await engine.handle(delivery('aidelly'));
    expect([first.status, codeOf(first)]).toEqual([503, 'secret_unavailable']);
    expect(JSON.stringify(first.body)).not.toContain('vault sealed');
    const second = await engine.handle(delivery('aidelly'));
    expect(codeOf(second)).toBe('secret_unavailable');
    expect(second.error?.hint).toContain('"aidelly"');
    expect(codeOf(await engine.handle(delivery('aidelly')))).toBe('next');
    expect(calls).toBe(3);
  });
});

describe('onError customises failures', () => {
  it('can change status, body and headers, and sees the error', async () => {
    const seen: string[] = [];
    const engine = createWebhookEngine({
      vendor: 'timbrix',
      secret: SECRET,
      onError: (error) => {
        seen.push(error.code);
        return error.code === 'signature_mismatch' ? { status: 403, body: { denied: true }, headers: { 'x-reason': 'sig' } } : undefined;
      },
    });
    const denied = await engine.handle(delivery('timbrix', 'nope'));
    expect([denied.status, denied.body, denied.headers]).toEqual([403, { denied: true }, { 'x-reason': 'sig' }]);
    const missing = await engine.handle({ body: sampleBodies.timbrix, headers: {} });
    expect([missing.status, (missing.body as { error: string }).error]).toEqual([401, 'missing_signature']);
    expect(seen).toEqual(['signature_mismatch', 'missing_signature']);
    expect(codeOf(await engine.handle(delivery('timbrix')))).toBe('next');
    expect(seen).toHaveLength(2);
  });

  it('a throwing onError or a nonsense status keeps the default answer', async () => {
    const throwing = createWebhookEngine({ vendor: 'timbrix', secret: SECRET, onError: () => { throw new Error('oops'); } });
    expect((await throwing.handle(delivery('timbrix', 'x'))).status).toBe(401);
    const silly = createWebhookEngine({ vendor: 'timbrix', secret: SECRET, onError: () => ({ status: 42 }) });
    expect((await silly.handle(delivery('timbrix', 'x'))).status).toBe(401);
  });

  it('applies to failures an adapter finds itself (engine.fail, engine.readError)', async () => {
    const engine = createWebhookEngine({ vendor: 'timbrix', secret: SECRET, maxBodyBytes: 100, onError: (e) => ({ headers: { 'x-code': e.code } }) });
    const tooLarge = engine.readError(Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 }));
    expect([tooLarge.code, tooLarge.status, tooLarge.message]).toEqual(['payload_too_large', 413, 'The body is larger than 100 bytes.']);
    const result = await engine.fail(tooLarge);
    expect([result.status, result.headers, result.body]).toEqual([413, { 'x-code': 'payload_too_large' }, tooLarge.toJSON()]);
    expect(engine.readError({ type: 'stream.not.readable' }).code).toBe('body_not_raw');
    expect(engine.readError(new Error('aborted')).code).toBe('body_unreadable');
    expect(engine.readError(undefined).status).toBe(400);
  });
});

describe('receiver mode: verify, dedupe, dispatch, answer', () => {
  it('answers 200 only after the handler ran; a duplicate is 200 without running it again', async () => {
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET });
    const handled: string[] = [];
    receiver.on('post.published', (event) => {
      handled.push(event.payload.data.platform_post_id);
    });
    const engine = createWebhookEngine(receiver);
    expect(engine.mode).toBe('receive');
    const first = await engine.handle(delivery('aidelly'));
    expect([first.next, first.status, first.body]).toEqual([false, 200, { ok: true, id: first.event?.id, type: 'post.published' }]);
    const again = await engine.handle(delivery('aidelly'));
    expect([again.status, (again.body as { error: string }).error]).toEqual([200, 'duplicate']);
    expect(handled).toEqual(['urn:li:share:1']);
  });

  it('a throwing handler is a 500 (through onError, with the event) and the retry is processed', async () => {
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET });
    let attempts = 0;
    receiver.onAny(() => {
      attempts += 1;
      if (attempts === 1) throw new Error('db down');
    });
    const onError = vi.fn(() => undefined);
    const engine = createWebhookEngine(receiver, { onError });
    const failed = await engine.handle(delivery('timbrix'));
    expect([failed.status, codeOf(failed)]).toEqual([500, 'handler_error']);
    expect(JSON.stringify(failed.body)).not.toContain('db down');
    expect(onError).toHaveBeenCalledWith(expect.any(WebhookError), expect.objectContaining({ vendor: 'timbrix' }));
    const retry = await engine.handle(delivery('timbrix'));
    expect(retry.status).toBe(200);
    expect(attempts).toBe(2);
  });

  it('concurrent copies of one delivery: one runs, the other gets 409 in_progress', async () => {
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET });
    const gate = deferred();
    const started = deferred();
    let runs = 0;
    receiver.onAny(async () => {
      runs += 1;
      started.resolve();
      await gate.promise;
    });
    const engine = createWebhookEngine(receiver);
    // Which copy claims first depends on when its verification ends (Web Crypto is
    // async), so wait for the handler to start: the copy answered first is the other one.
    const copies = [engine.handle(delivery('timbrix')), engine.handle(delivery('timbrix'))];
    await started.promise;
    const other = await Promise.race(copies);
    gate.resolve();
    expect([other.status, codeOf(other)]).toEqual([409, 'in_progress']);
    expect((await Promise.all(copies)).map((r) => r.status).sort()).toEqual([200, 409]);
    expect(runs).toBe(1);
  });

  it('takes maxBodyBytes from the receiver', () => {
    expect(createWebhookEngine(createReceiver({ vendor: 'aidelly', secret: SECRET, maxBodyBytes: 5000 })).maxBodyBytes).toBe(5000);
  });
});

describe('setup errors name the package and the fix', () => {
  const name = '@hookproof/express';
  const cases: [string, () => unknown, RegExp][] = [
    ['no options', () => createWebhookEngine(undefined as never, { name }), /^@hookproof\/express: pass options \(\{ vendor, secret \}\) or a receiver from createReceiver\(\)\./],
    ['no vendor', () => createWebhookEngine({ secret: SECRET } as never, { name }), /^@hookproof\/express: `vendor` is required: one of 'autoposting'/],
    ['unknown vendor', () => createWebhookEngine({ vendor: 'aidely' as VendorId, secret: SECRET }, { name }), /unknown vendor "aidely"\. Use one of/],
    ['no secret', () => createWebhookEngine({ vendor: 'aidelly' }, { name }), /^@hookproof\/express: `secret` is required: the signing secret/],
    ['empty secret', () => createWebhookEngine({ vendor: 'aidelly', secret: '' }, { name }), /^@hookproof\/express: `secret` is an empty string/],
    ['secret of a wrong type', () => createWebhookEngine({ vendor: 'aidelly', secret: 42 as never }, { name }), /`secret` is number/],
    ['typo in an option', () => createWebhookEngine({ vendor: 'aidelly', secrets: SECRET } as never, { name }), /unknown option `secrets`: did you mean `secret`\?/],
    ['receiver option on plain options', () => createWebhookEngine({ vendor: 'aidelly', secret: SECRET, dedupe: false } as never, { name }), /`dedupe` belongs to a receiver: pass createReceiver/],
    ['empty vendor list', () => createWebhookEngine({ vendor: [], secret: SECRET }, { name }), /`vendor` is an empty array/],
    ['vendor listed twice', () => createWebhookEngine({ vendor: ['aidelly', 'aidelly'], secret: SECRET }, { name }), /lists "aidelly" twice/],
    ['allowUnsigned with several vendors', () => createWebhookEngine({ vendor: ['autoposting', 'aidelly'], allowUnsigned: true }, { name }), /`allowUnsigned` needs a single vendor/],
    ['allowUnsigned for a vendor that always signs', () => createWebhookEngine({ vendor: 'aidelly', allowUnsigned: true }, { name }), /aidelly.*always signs|Aidelly always signs/],
    ['negative secretCacheMs', () => createWebhookEngine({ vendor: 'aidelly', secret: () => SECRET, secretCacheMs: -1 }, { name }), /`secretCacheMs` must be a non-negative/],
    ['onError not a function', () => createWebhookEngine({ vendor: 'aidelly', secret: SECRET, onError: 'log' as never }, { name }), /`onError` must be a function/],
    ['bad maxBodyBytes with a secret function', () => createWebhookEngine({ vendor: 'aidelly', secret: () => SECRET, maxBodyBytes: 0 }, { name }), /`maxBodyBytes` must be a positive integer/],
    ["'auto' with an unknown vendor in the map", () => createWebhookEngine({ vendor: 'auto', secret: { aidely: 'x' } as never }, { name }), /unknown vendor "aidely"/],
    ["'auto' with an empty map", () => createWebhookEngine({ vendor: 'auto', secret: {} }, { name }), /`secret` is an empty map/],
  ];
  it.each(cases)('%s', (_label, create, message) => {
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
  });

  it('without a name, errors keep the @hookproof prefix', () => {
    expect(() => createWebhookEngine({ vendor: 'aidelly' })).toThrow(/^@hookproof: `secret` is required/);
  });

  it('allowUnsigned alone is enough for Autoposting (no secret)', async () => {
    const engine = createWebhookEngine({ vendor: 'autoposting', allowUnsigned: true, now });
    const result = await engine.handle({ body: sampleBodies.autoposting, headers: {} });
    expect(result.event?.type).toBe('post.published');
    expect(result.event?.idSource).toBe('payload');
  });
});

// handle is handle without the promise where nothing is asynchronous: the adapters use it
// on every delivery, so it must give the same answers as handle, and never throw.
describe('handle: the result itself when nothing on the way is asynchronous', () => {
  const isPending = (value: unknown): boolean => value instanceof Promise;
  // Node's HMAC is synchronous; Web Crypto's (the core-web project) is not, so there it is a promise.
  const syncHmac = runtimeCrypto.runtime === 'node';

  it('options mode, static secret: a plain result equal to what handle resolves, for every vendor', async () => {
    for (const vendor of builtIns) {
      const engine = createWebhookEngine({ vendor, secret: SECRET, now });
      const out = engine.handle(delivery(vendor));
      expect(isPending(out), vendor).toBe(!syncHmac);
      const result = await out;
      expect(result).toEqual(await engine.handle(delivery(vendor)));
      expect([result.next, result.event?.raw]).toEqual([true, sampleBodies[vendor]]);
    }
  });

  it('options mode: a signature made with another secret is a plain 401 result too', () => {
    const result = createWebhookEngine({ vendor: 'aidelly', secret: SECRET }).handle(delivery('aidelly', 'another-secret'));
    // Failures go through onError's (async) path: a promise is allowed, the answer is what counts.
    return Promise.resolve(result).then((r) => expect([r.status, r.error?.code]).toEqual([401, 'signature_mismatch']));
  });

  it('options mode, secret from a function: a promise, with the same answer', async () => {
    const engine = createWebhookEngine({ vendor: 'aidelly', secret: async () => SECRET });
    const out = engine.handle(delivery('aidelly'));
    expect(isPending(out)).toBe(true);
    expect(codeOf(await out)).toBe('next');
  });

  it('never throws, whatever the request holds', async () => {
    const engine = createWebhookEngine({ vendor: ['aidelly', 'timbrix'], secret: { aidelly: SECRET, timbrix: 't-secret' } });
    for (const request of [undefined, null, { body: undefined, headers: undefined }, { body: 42, headers: { 'Aidelly-Signature': ['x', 'y'] } }]) {
      let out: unknown;
      expect(() => (out = engine.handle(request as never))).not.toThrow();
      const result = await out;
      expect((result as EngineResult<VendorRef>).status).toBeGreaterThanOrEqual(400);
    }
  });

  it('receiver mode: sync handlers and the default in-memory store answer without a promise; a retry is a duplicate', async () => {
    let runs = 0;
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, now }).onAny(() => void runs++);
    const engine = createWebhookEngine(receiver);
    const pending = engine.handle(delivery('timbrix'));
    expect(isPending(pending)).toBe(!syncHmac);
    const first = await pending;
    expect([first.status, first.body, runs]).toEqual([200, { ok: true, id: bodyDigestId(sampleBodies.timbrix), type: sampleType.timbrix }, 1]);
    const retry = await engine.handle(delivery('timbrix'));
    expect([retry.status, retry.error?.code, runs]).toEqual([200, 'duplicate', 1]);
  });

  it('receiver mode: an async handler makes it a promise, and 200 comes only after the handler ends', async () => {
    const gate = deferred();
    let finished = false;
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, now, dedupe: false }).onAny(async () => {
      await gate.promise;
      finished = true;
    });
    const out = createWebhookEngine(receiver).handle(delivery('timbrix'));
    expect(isPending(out)).toBe(true);
    gate.resolve();
    const result = await out;
    expect([result.status, finished]).toEqual([200, true]);
  });

  it('receiver mode: a sync throwing handler is a 500, and its retry is processed', async () => {
    let calls = 0;
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, now }).onAny(() => {
      calls++;
      if (calls === 1) throw new Error('db down');
    });
    const engine = createWebhookEngine(receiver);
    const failed = await engine.handle(delivery('timbrix'));
    expect([failed.status, failed.error?.code]).toEqual([500, 'handler_error']);
    const retry = engine.handle(delivery('timbrix'));
    expect(isPending(retry)).toBe(!syncHmac);
    const answered = await retry;
    expect([answered.status, answered.error, calls]).toEqual([200, undefined, 2]);
  });

  it('a hand-written receiver (no fast path) is awaited; one that throws becomes a rejection, not a throw', async () => {
    const real = createReceiver({ vendor: 'timbrix', secret: SECRET, now });
    const byHand = { options: real.options, on: real.on, onAny: real.onAny, onError: real.onError, reject: real.reject, receive: (r: Parameters<typeof real.receive>[0]) => real.receive(r) };
    const out = createWebhookEngine(byHand).handle(delivery('timbrix'));
    expect(isPending(out)).toBe(true);
    expect((await out).status).toBe(200);
    const broken = { ...byHand, receive: () => { throw new Error('broken receiver'); } };
    let thrown: unknown;
    let rejected: unknown;
    try {
      await createWebhookEngine(broken as never).handle(delivery('timbrix'));
    } catch (error) {
      rejected = error;
    }
    expect(thrown).toBeUndefined();
    expect((rejected as Error).message).toBe('broken receiver');
  });
});
