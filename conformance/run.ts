// Runs the conformance table and the receiver scenarios through one adapter driver.
// Each adapter's test folder calls runConformance(driver) once per supported major.
import { describe, expect, it } from 'vitest';
import { createReceiver, type DedupeStore, type VendorRef, type WebhookEvent } from '@hookproof/core';
import type { AdapterDriver, MountSpec, Mounted, WireRequest, WireResponse } from './driver.js';
import { answerBeforeBodyEnds } from './http.js';
import { conformanceCases, type ConformanceCase } from './table.js';
import { NOW_MS, sample, SECRET, signedHeaders, type Vendor } from './signing.js';

async function withApp<T>(driver: AdapterDriver, spec: MountSpec, fn: (app: Mounted) => Promise<T>): Promise<T> {
  const app = await driver.mount(spec);
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

function header(res: WireResponse, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

export function checkResponse(res: WireResponse, c: Pick<ConformanceCase, 'expect' | 'hidden'>): void {
  const { expect: want } = c;
  expect(res.status, res.text.slice(0, 300)).toBe(want.status);
  if ('vendor' in want) {
    expect(res.body).toMatchObject({ via: 'next', vendor: want.vendor, type: want.type });
    expect((res.body as { id: unknown }).id).toEqual(want.id ?? expect.any(String));
  } else if (want.body !== undefined) {
    expect(res.body).toEqual(want.body);
  } else {
    expect(header(res, 'content-type')).toMatch(/^application\/json/);
    const body = res.body as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['error', 'message']);
    expect(body['error']).toBe(want.error ?? body['error']);
    expect(body['error']).toEqual(expect.any(String));
    expect(body['message']).toEqual(expect.any(String));
  }
  if (!('vendor' in want)) for (const [name, value] of Object.entries(want.headers ?? {})) expect(header(res, name)).toBe(value);
  // Never echo secrets or signatures (sent or expected), in the body or the headers.
  const shown = res.text + JSON.stringify(res.headers);
  for (const secret of c.hidden) expect(shown).not.toContain(secret);
}

function timbrixDelivery(body = sample.timbrix.body): WireRequest {
  return { body: Buffer.from(body), headers: [['Content-Type', 'application/json'], ...signedHeaders('timbrix', body)] };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export function runConformance(driver: AdapterDriver): void {
  describe(`conformance table through ${driver.name}`, () => {
    it('covers every vendor and every error code an adapter can answer', () => {
      const vendors = new Set(conformanceCases.filter((c) => 'vendor' in c.expect).map((c) => (c.expect as { vendor: string }).vendor));
      expect([...vendors].sort()).toEqual(['aidelly', 'audenci', 'autoposting', 'timbrix']);
      const codes = new Set(conformanceCases.map((c) => ('error' in c.expect ? c.expect.error : undefined)));
      for (const code of [
        'missing_signature', 'missing_timestamp', 'malformed_signature', 'malformed_timestamp', 'signature_mismatch',
        'timestamp_out_of_tolerance', 'invalid_auth_header', 'invalid_json', 'invalid_payload', 'payload_too_large',
        'body_not_raw', 'secret_unavailable', 'forbidden_ip', 'unsupported_encoding',
      ]) expect(codes, code).toContain(code);
    });

    for (const c of conformanceCases) {
      it(c.name, async () => {
        await withApp(driver, { webhook: c.webhook, ...(c.prior === undefined ? {} : { prior: c.prior }) }, async (app) => {
          checkResponse(await app.send(c.request), c);
        });
      });
    }
  });

  describe(`body limit through ${driver.name}: 413 without reading the rest`, () => {
    const options = { vendor: 'aidelly', secret: SECRET } as const;
    const sigHeaders = Object.fromEntries(signedHeaders('aidelly', sample.aidelly.body));

    it('a declared content-length over maxBodyBytes is answered after the headers, before the body is sent', async () => {
      await withApp(driver, { webhook: options }, async (app) => {
        const res = await answerBeforeBodyEnds(await app.listen(), { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024), ...sigHeaders }, Buffer.alloc(0));
        expect([res.status, (res.body as { error: string }).error]).toEqual([413, 'payload_too_large']);
      });
    });

    it('a chunked body is cut off as soon as it passes maxBodyBytes', async () => {
      await withApp(driver, { webhook: { ...options, maxBodyBytes: 64 * 1024 } }, async (app) => {
        const res = await answerBeforeBodyEnds(await app.listen(), { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...sigHeaders }, Buffer.alloc(96 * 1024, 0x20));
        expect([res.status, (res.body as { error: string }).error]).toEqual([413, 'payload_too_large']);
      });
    });
  });

  describe(`receiver mode through ${driver.name}`, () => {
    it('verifies, runs the typed handler, then answers 200 { ok, id, type }', async () => {
      const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET });
      const seen: string[] = [];
      receiver.on('member.added', (event) => {
        seen.push(`${event.type}:${event.id}`);
      });
      await withApp(driver, { webhook: { receiver: receiver as never } }, async (app) => {
        const res = await app.send(timbrixDelivery());
        expect([res.status, res.body]).toEqual([200, { ok: true, id: 'evt_t1', type: 'member.added' }]);
      });
      expect(seen).toEqual(['member.added:evt_t1']);
    });

    it('a throwing handler gives 500 handler_error, and the retry of the same delivery is processed', async () => {
      const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET });
      let attempts = 0;
      receiver.onAny(() => {
        attempts += 1;
        if (attempts === 1) throw new Error('database is down: password=hunter2');
      });
      await withApp(driver, { webhook: { receiver: receiver as never } }, async (app) => {
        const first = await app.send(timbrixDelivery());
        expect(first.status).toBe(500);
        expect(first.body).toEqual({ error: 'handler_error', message: expect.any(String) });
        expect(first.text).not.toContain('hunter2');
        const retry = await app.send(timbrixDelivery());
        expect([retry.status, retry.body]).toEqual([200, { ok: true, id: 'evt_t1', type: 'member.added' }]);
      });
      expect(attempts).toBe(2);
    });

    it('a duplicate gives 200 without running the handlers twice', async () => {
      const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET });
      let runs = 0;
      receiver.on('member.added', () => {
        runs += 1;
      });
      await withApp(driver, { webhook: { receiver: receiver as never } }, async (app) => {
        expect((await app.send(timbrixDelivery())).status).toBe(200);
        const again = await app.send(timbrixDelivery());
        expect([again.status, again.body]).toEqual([200, { error: 'duplicate', message: expect.any(String) }]);
      });
      expect(runs).toBe(1);
    });

    it('concurrent copies of one delivery: one is processed, the other gets 409 in_progress', async () => {
      const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET });
      const started = deferred();
      const release = deferred();
      let runs = 0;
      receiver.onAny(async () => {
        runs += 1;
        started.resolve();
        await release.promise;
      });
      await withApp(driver, { webhook: { receiver: receiver as never } }, async (app) => {
        const first = app.send(timbrixDelivery());
        await started.promise;
        const second = await app.send(timbrixDelivery());
        release.resolve();
        expect((await first).status).toBe(200);
        expect([second.status, (second.body as { error: string }).error]).toEqual([409, 'in_progress']);
      });
      expect(runs).toBe(1);
    });

    it('a bad signature is 401 and no handler runs', async () => {
      const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET });
      let runs = 0;
      receiver.onAny(() => {
        runs += 1;
      });
      await withApp(driver, { webhook: { receiver: receiver as never } }, async (app) => {
        const body = sample.aidelly.body;
        const res = await app.send({ body: Buffer.from(body), headers: [['Content-Type', 'application/json'], ...signedHeaders('aidelly', body, 'whsec_wrong')] });
        expect([res.status, (res.body as { error: string }).error]).toEqual([401, 'signature_mismatch']);
      });
      expect(runs).toBe(0);
    });

    it("a 2 MB body is refused with 413 before any handler runs, and the receiver's onError sees it", async () => {
      const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET });
      let runs = 0;
      const seen: string[] = [];
      receiver
        .onAny(() => {
          runs += 1;
        })
        .onError((error) => void seen.push(error.code));
      await withApp(driver, { webhook: { receiver: receiver as never } }, async (app) => {
        const res = await app.send({ ...timbrixDelivery(JSON.stringify({ event: 'member.added', pad: 'x'.repeat(2 * 1024 * 1024) })), chunked: true });
        expect([res.status, (res.body as { error: string }).error]).toEqual([413, 'payload_too_large']);
      });
      expect(runs).toBe(0);
      expect(seen).toEqual(['payload_too_large']);
    });

    it('onError from the adapter settings shapes receiver failures, with the event', async () => {
      const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET });
      receiver.onAny(() => {
        throw new Error('boom');
      });
      const settings = { onError: (error: { code: string }, event: WebhookEvent<VendorRef> | undefined) => ({ status: 503, body: { retry: true, code: error.code, id: event?.id } }) };
      await withApp(driver, { webhook: { receiver: receiver as never, settings: settings as never } }, async (app) => {
        const res = await app.send(timbrixDelivery());
        expect([res.status, res.body]).toEqual([503, { retry: true, code: 'handler_error', id: 'evt_t1' }]);
      });
    });

    it('a failing dedupe store is 503 store_unavailable and the handler does not run', async () => {
      const broken: DedupeStore = {
        claim: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')),
        complete: () => undefined,
        release: () => undefined,
      };
      const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, dedupe: broken });
      let runs = 0;
      receiver.onAny(() => {
        runs += 1;
      });
      await withApp(driver, { webhook: { receiver: receiver as never } }, async (app) => {
        const res = await app.send(timbrixDelivery());
        expect([res.status, (res.body as { error: string }).error]).toEqual([503, 'store_unavailable']);
        expect(res.text).not.toContain('6379');
      });
      expect(runs).toBe(0);
    });
  });

  describe(`receivers with several vendors through ${driver.name}`, () => {
    const OTHER = 'whsec_b3RoZXItc2lnbmluZy1zZWNyZXQ';
    const delivery = (vendor: Vendor, secret = SECRET): WireRequest => ({
      body: Buffer.from(sample[vendor].body),
      headers: [['Content-Type', 'application/json'], ...signedHeaders(vendor, sample[vendor].body, secret)],
    });

    it('a list of vendors with a secret per vendor: each is told apart by its signature header and verified with its own secret', async () => {
      const receiver = createReceiver({ vendor: ['aidelly', 'timbrix'], secret: { aidelly: OTHER, timbrix: SECRET }, now: () => NOW_MS });
      const seen: string[] = [];
      receiver.onAny((event) => void seen.push(`${event.vendor}:${event.type}`));
      await withApp(driver, { webhook: { receiver: receiver as never } }, async (app) => {
        expect((await app.send(delivery('aidelly', OTHER))).status).toBe(200);
        expect((await app.send(delivery('timbrix'))).body).toEqual({ ok: true, id: 'evt_t1', type: 'member.added' });
        // Aidelly's delivery signed with Timbrix's secret: the per-vendor secret is the one checked.
        const crossed = await app.send(delivery('aidelly', SECRET));
        expect([crossed.status, (crossed.body as { error?: string }).error]).toEqual([401, 'signature_mismatch']);
        // A vendor not in the list: no signature header it knows.
        const stranger = await app.send(delivery('audenci'));
        expect([stranger.status, (stranger.body as { error?: string }).error]).toEqual([401, 'missing_signature']);
      });
      expect(seen).toEqual(['aidelly:post.published', 'timbrix:member.added']);
    });

    it("'auto' with a secret map: the vendors in the map, each with its own secret", async () => {
      const receiver = createReceiver({ vendor: 'auto', secret: { autoposting: SECRET, audenci: OTHER }, now: () => NOW_MS });
      await withApp(driver, { webhook: { receiver: receiver as never } }, async (app) => {
        expect((await app.send(delivery('autoposting'))).body).toEqual({ ok: true, id: 'evt_c1', type: 'post.published' });
        expect((await app.send(delivery('audenci', OTHER))).status).toBe(200);
        const notInMap = await app.send(delivery('timbrix'));
        expect([notInMap.status, (notInMap.body as { error?: string }).error]).toEqual([401, 'missing_signature']);
      });
    });

    it('a secret function is asked per vendor', async () => {
      const asked: string[] = [];
      const receiver = createReceiver({
        vendor: ['autoposting', 'timbrix'],
        secret: (vendor) => (asked.push(vendor), vendor === 'timbrix' ? SECRET : OTHER),
        now: () => NOW_MS,
      });
      await withApp(driver, { webhook: { receiver: receiver as never } }, async (app) => {
        expect((await app.send(delivery('timbrix'))).status).toBe(200);
        expect((await app.send(delivery('autoposting', OTHER))).status).toBe(200);
      });
      expect(asked.sort()).toEqual(['autoposting', 'timbrix']);
    });

    it('two vendors that sign the raw body alone cannot share one secret', () => {
      expect(() => createReceiver({ vendor: ['aidelly', 'timbrix'], secret: SECRET })).toThrow(/^@hookproof: aidelly, timbrix all sign the raw body alone.*Give each vendor its own secret/);
    });

    it('a typo in a receiver option fails with the same did-you-mean as every entry point', () => {
      expect(() => createReceiver({ vendor: 'timbrix', secret: SECRET, tolerance: 5 } as never)).toThrow(/^@hookproof: unknown option `tolerance`: did you mean `toleranceSec`\?/);
      expect(() => createReceiver({ vendor: 'timbrix', secret: SECRET, onEvent: () => {} } as never)).toThrow(/^@hookproof: `onEvent` is a handleWebhook\(\) option/);
    });
  });

  describe(`setup errors through ${driver.name}`, () => {
    const cases: [string, MountSpec['webhook'], RegExp][] = [
      ['no secret', { vendor: 'aidelly' }, /`secret` is required/],
      ['unknown vendor', { vendor: 'aidely' as never, secret: SECRET }, /unknown vendor "aidely"\. Use one of 'autoposting'/],
      ['a typo in an option', { vendor: 'aidelly', secret: SECRET, tolerance: 5 } as never, /unknown option `tolerance`: did you mean `toleranceSec`\?/],
      ['an empty secret (unset environment variable)', { vendor: 'aidelly', secret: '' }, /`secret` is an empty string/],
      // A secret makes the signature mandatory: with allowUnsigned a stripped header would pass.
      ['allowUnsigned with a secret', { vendor: 'autoposting', secret: SECRET, allowUnsigned: true }, /allowUnsigned: true with a secret: .*drop the secret while the Autoposting\.ai webhook is unsigned, or drop allowUnsigned once it is signed/],
      // Vendors that sign the raw body alone cannot share one secret on one route.
      ["'auto' with one secret", { vendor: 'auto', secret: SECRET }, /aidelly, audenci, timbrix all sign the raw body alone.*Give each vendor its own secret/],
    ];
    it.each(cases)('%s fails at mount time, naming the package and the fix', async (_name, webhook, message) => {
      const escaped = driver.packageName.replace(/[/.]/g, (c) => `\\${c}`);
      await expect(Promise.resolve().then(() => driver.mount({ webhook }))).rejects.toThrow(new RegExp(`^${escaped}: ${message.source}`));
    });
  });
}
