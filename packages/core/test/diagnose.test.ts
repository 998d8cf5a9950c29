// diagnose(): one test per cause it claims to detect, each built from a realistic
// mistake. Every delivery is signed with plain node:crypto as the vendor would.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { diagnose, runtimeCrypto, type Diagnosis, type VerifyInput } from '@hookproof/core';
import { handSigned, hmacHex, NOW_MS, NOW_S, sampleBodies, SECRET, signatureHeaderOf } from './helpers.js';

const now = () => NOW_MS;

function expectCause(d: Diagnosis, cause: Diagnosis['cause'], summary: RegExp): void {
  expect(d.ok).toBe(false);
  expect(d.cause).toBe(cause);
  expect(d.summary).toMatch(summary);
  expect(d.findings[0]?.cause).toBe(cause);
}

function expectNoLeak(d: Diagnosis, secret: string, macs: string[]): void {
  const text = JSON.stringify(d);
  expect(text).not.toContain(secret);
  for (const mac of macs) expect(text).not.toContain(mac);
}

describe('diagnose', () => {
  it('a valid delivery: ok, no cause', async () => {
    const body = sampleBodies.aidelly;
    const d = await diagnose({ vendor: 'aidelly', body, headers: handSigned('aidelly', body), secret: SECRET, now });
    expect(d).toEqual({ ok: true, code: undefined, cause: undefined, summary: 'The signature is valid.', findings: [] });
  });

  describe('body_reserialized', () => {
    // The vendor's sender writes JSON its own way; the app ran express.json() and
    // verifies JSON.stringify(req.body), which is compact JavaScript JSON.
    const cases: [string, string][] = [
      ['a Python sender (json.dumps defaults: ", " / ": ", non-ASCII escaped)', '{"event": "post.published", "timestamp": "2026-02-03T10:30:00Z", "data": {"postId": "clx1", "title": "Lanzamiento d\\u00eda \\ud83c\\udf89", "platforms": ["instagram", "facebook"], "scheduledFor": "2026-02-03T10:00:00Z", "platformResults": {}}, "organizationId": "org_1", "brandId": "b_1"}'],
      ['a PHP sender (json_encode escapes "/" and non-ASCII)', '{"event":"post.published","timestamp":"2026-02-03T10:30:00Z","data":{"postId":"clx1","title":"caf\\u00e9","link":"https:\\/\\/audenci.example\\/p\\/1","platforms":[],"scheduledFor":"2026-02-03T10:00:00Z","platformResults":{}},"organizationId":"org_1","brandId":"b_1"}'],
      ['a Python sender, with quotes, backslashes, commas and colons inside strings', '{"event": "post.published", "timestamp": "2026-02-03T10:30:00Z", "data": {"postId": "clx1", "title": "say \\"hi\\", a: b \\\\", "platforms": ["a,b", "c:d"], "scheduledFor": "2026-02-03T10:00:00Z", "platformResults": {"\\\\": ""}}, "organizationId": "org_1", "brandId": "b_1"}'],
      ['a pretty-printing sender (2-space indent)', JSON.stringify(JSON.parse(sampleBodies.audenci), null, 2)],
    ];
    for (const [name, original] of cases) {
      it(name, async () => {
        const headers = { 'X-Audenci-Signature': hmacHex(SECRET, original) };
        const reserialised = JSON.stringify(JSON.parse(original)); // what the app passed
        expect(reserialised).not.toBe(original);
        const d = await diagnose({ vendor: 'audenci', body: reserialised, headers, secret: SECRET, now });
        expect(d.code).toBe('signature_mismatch');
        expectCause(d, 'body_reserialized', /re-serialised.*JSON\.stringify\(req\.body\)/);
        expectNoLeak(d, SECRET, [headers['X-Audenci-Signature']]);
      });
    }

    it('the app pretty-printed a compact body', async () => {
      const original = sampleBodies.timbrix;
      const d = await diagnose({ vendor: 'timbrix', body: JSON.stringify(JSON.parse(original), null, 2), headers: handSigned('timbrix', original), secret: SECRET, now });
      expectCause(d, 'body_reserialized', /re-serialised/);
    });
  });

  describe('trailing_newline', () => {
    it('replayed with curl --data-binary @payload.json, where the editor added a final newline', async () => {
      const body = sampleBodies.aidelly;
      const d = await diagnose({ vendor: 'aidelly', body: `${body}\n`, headers: handSigned('aidelly', body), secret: SECRET, now });
      expectCause(d, 'trailing_newline', /gained a trailing newline/);
    });

    it('a proxy or a .trim() dropped the newline the vendor signed', async () => {
      const signed = `${sampleBodies.timbrix}\n`;
      const d = await diagnose({ vendor: 'timbrix', body: signed.trim(), headers: handSigned('timbrix', signed), secret: SECRET, now });
      expectCause(d, 'trailing_newline', /lost its trailing newline/);
    });

    it('CRLF added by a Windows tool', async () => {
      const body = sampleBodies.audenci;
      const d = await diagnose({ vendor: 'audenci', body: `${body}\r\n`, headers: handSigned('audenci', body), secret: SECRET, now });
      expectCause(d, 'trailing_newline', /trailing newline/);
    });
  });

  it('byte_order_mark: a Windows tool saved the payload with a UTF-8 BOM', async () => {
    const body = sampleBodies.timbrix;
    const d = await diagnose({ vendor: 'timbrix', body: `\uFEFF${body}`, headers: handSigned('timbrix', body), secret: SECRET, now });
    expectCause(d, 'byte_order_mark', /byte-order mark/);
  });

  describe('secret_prefix', () => {
    it('the app was configured with the secret minus its whsec_ prefix; the vendor signs with the whole string', async () => {
      const body = sampleBodies.aidelly;
      const configured = SECRET.slice('whsec_'.length);
      const d = await diagnose({ vendor: 'aidelly', body, headers: handSigned('aidelly', body), secret: configured, now });
      expectCause(d, 'secret_prefix', /including the whsec_ prefix/);
      expectNoLeak(d, configured, []);
    });

    it('the sender (e.g. a hand-written test harness) signs without the prefix the app keeps', async () => {
      const body = sampleBodies.autoposting;
      const headers = handSigned('autoposting', body, SECRET.slice('whsec_'.length));
      const d = await diagnose({ vendor: 'autoposting', body, headers, secret: SECRET, now });
      expectCause(d, 'secret_prefix', /without its whsec_ prefix/);
    });
  });

  it('secret_encoding: a Svix-style signer used the base64-decoded secret as the key', async () => {
    const body = sampleBodies.timbrix;
    const decodedKey = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    expect(decodedKey.toString('utf8')).toBe('some-signing-secret');
    const headers = { 'X-Webhook-Signature': createHmac('sha256', decodedKey).update(body).digest('hex') };
    const d = await diagnose({ vendor: 'timbrix', body, headers, secret: SECRET, now });
    expectCause(d, 'secret_encoding', /base64-decoded secret/);
  });

  it('timestamp_not_signed: an Autoposting sender that signs the body alone, Aidelly-style', async () => {
    const body = sampleBodies.autoposting;
    const headers = { 'X-Autoposting-Signature': hmacHex(SECRET, body), 'X-Autoposting-Timestamp': String(NOW_S) };
    const d = await diagnose({ vendor: 'autoposting', body, headers, secret: SECRET, now });
    expectCause(d, 'timestamp_not_signed', /covers the body alone.*"<timestamp>\.<body>"/);
  });

  it('clock_skew: the server clock is 10 minutes behind', async () => {
    const body = sampleBodies.autoposting;
    const d = await diagnose({ vendor: 'autoposting', body, headers: handSigned('autoposting', body), secret: SECRET, now: () => NOW_MS - 600_000 });
    expect(d.code).toBe('timestamp_out_of_tolerance');
    expectCause(d, 'clock_skew', /600 s in the future.*NTP/);
  });

  it('body_not_raw: the app passed req.body after express.json()', async () => {
    const body = sampleBodies.aidelly;
    const input = { vendor: 'aidelly', body: JSON.parse(body) as unknown, headers: handSigned('aidelly', body), secret: SECRET, now } as unknown as VerifyInput<'aidelly'>;
    const d = await diagnose(input);
    expect(d.code).toBe('body_not_raw');
    expectCause(d, 'body_not_raw', /body parser consumed the body/);
  });

  describe('wrong_vendor', () => {
    it('an Aidelly delivery posted to the route configured for Audenci', async () => {
      const body = sampleBodies.aidelly;
      const d = await diagnose({ vendor: 'audenci', body, headers: handSigned('aidelly', body), secret: SECRET, now });
      expect(d.code).toBe('missing_signature');
      expectCause(d, 'wrong_vendor', /Aidelly's signature header \(Aidelly-Signature\), not Audenci's/);
    });

    it('a request carrying another vendor header too, with no other explanation, names both suspects', async () => {
      const body = sampleBodies.timbrix;
      const headers = { 'X-Webhook-Signature': hmacHex('another-secret', body), 'Aidelly-Signature': `sha256=${hmacHex('another-secret', body)}` };
      const d = await diagnose({ vendor: 'timbrix', body, headers, secret: SECRET, now });
      expectCause(d, 'wrong_vendor', /also carries Aidelly's signature header/);
      expect(d.findings.map((f) => f.cause)).toEqual(['wrong_vendor', 'wrong_secret']);
    });
  });

  it('wrong_secret: the staging secret configured in production', async () => {
    const body = sampleBodies.audenci;
    const d = await diagnose({ vendor: 'audenci', body, headers: handSigned('audenci', body, 'whsec_production'), secret: 'whsec_staging', now });
    expectCause(d, 'wrong_secret', /secret is most likely wrong/);
    expectNoLeak(d, 'whsec_staging', [hmacHex('whsec_production', body)]);
  });

  it('wrong_secret with rotation: every configured secret is tried before concluding', async () => {
    const body = sampleBodies.aidelly;
    const d = await diagnose({ vendor: 'aidelly', body: `${body}\n`, headers: handSigned('aidelly', body), secret: ['whsec_old', SECRET], now });
    expectCause(d, 'trailing_newline', /trailing newline/);
  });

  describe('signature_encoding', () => {
    it('a GitHub-style sha1= signature', async () => {
      const body = sampleBodies.aidelly;
      const headers = { 'Aidelly-Signature': `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}` };
      const d = await diagnose({ vendor: 'aidelly', body, headers, secret: SECRET, now });
      expect(d.code).toBe('malformed_signature');
      expectCause(d, 'signature_encoding', /SHA-1/);
    });

    it('base64 of the hex digest (encoded twice)', async () => {
      const body = sampleBodies.audenci;
      const headers = { 'X-Audenci-Signature': Buffer.from(hmacHex(SECRET, body)).toString('base64') };
      const d = await diagnose({ vendor: 'audenci', body, headers, secret: SECRET, now });
      expectCause(d, 'signature_encoding', /encoded twice/);
    });

    it('a truncated signature names the decoded length', async () => {
      const body = sampleBodies.timbrix;
      const headers = { 'X-Webhook-Signature': hmacHex(SECRET, body).slice(0, 40) + 'ab' };
      const d = await diagnose({ vendor: 'timbrix', body, headers, secret: SECRET, now });
      expectCause(d, 'signature_encoding', /does not decode to a 32-byte MAC/);
    });
  });

  it('missing_signature: no signature header and no other vendor header', async () => {
    const d = await diagnose({ vendor: 'audenci', body: sampleBodies.audenci, headers: { 'content-type': 'application/json' }, secret: SECRET, now });
    expectCause(d, 'missing_signature', /No X-Audenci-Signature header/);
  });

  it('not_json: a correctly signed body that is not the envelope', async () => {
    const body = 'event=post.published';
    const d = await diagnose({ vendor: 'timbrix', body, headers: { 'X-Webhook-Signature': hmacHex(SECRET, body) }, secret: SECRET, now });
    expectCause(d, 'not_json', /^The signature is valid, but the body is not JSON: /);
  });

  it('repeated signature headers are all considered', async () => {
    const body = sampleBodies.aidelly;
    const headers = { 'Aidelly-Signature': ['sha256=00', `sha256=${hmacHex(SECRET, body)}`] };
    const d = await diagnose({ vendor: 'aidelly', body: `${body}\n`, headers, secret: SECRET, now });
    expectCause(d, 'trailing_newline', /trailing newline/);
  });

  describe('hostile input: bounded work, the right verdict (issue 15, item 14)', () => {
    const MiB = 1024 * 1024;
    const utf8 = new TextEncoder();

    /** Counts the HMACs the build's crypto port computes, and the bytes each one covers. */
    function countHmacs(): { readonly sizes: number[] } {
      const sizes: number[] = [];
      const original = runtimeCrypto.hmacSha256.bind(runtimeCrypto);
      vi.spyOn(runtimeCrypto, 'hmacSha256').mockImplementation((secret, parts) => {
        sizes.push(parts.reduce((n, p) => n + (typeof p === 'string' ? utf8.encode(p).byteLength : p.byteLength), 0));
        return original(secret, parts);
      });
      return { sizes };
    }
    afterEach(() => {
      vi.restoreAllMocks();
    });

    /** Deterministic noise (xorshift32): neither UTF-8 nor JSON. */
    function junk(bytes: number): Uint8Array {
      const out = new Uint8Array(bytes);
      let x = 0x2545f491;
      for (let i = 0; i < bytes; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        out[i] = x & 0xff;
      }
      return out;
    }

    /** A JSON event of about `bytes` bytes, with non-ASCII text and "/" (every re-serialisation applies). */
    function bigEvent(bytes: number): string {
      const item = { url: 'https://cdn.example/u/1.jpg', alt: 'Café — Zürich ☕', n: 1 };
      const count = Math.floor(bytes / (Buffer.byteLength(JSON.stringify(item)) + 1));
      return JSON.stringify({ id: 'evt_1', event: 'post.published', timestamp: '2026-01-01T00:00:00.000Z', data: { media: Array.from({ length: count }, () => item) } });
    }

    /** Autoposting headers signed with node:crypto over "<ts>.<body>". */
    function autopostingHeaders(body: string | Uint8Array, secret: string): Record<string, string> {
      const ts = String(NOW_S);
      return { 'X-Autoposting-Signature': createHmac('sha256', secret).update(`${ts}.`).update(body).digest('hex'), 'X-Autoposting-Timestamp': ts };
    }

    it('a 6 MiB body over the default 1 MiB limit: payload_too_large, with nothing hashed or decoded', async () => {
      const body = new Uint8Array(6 * MiB).fill(0x61);
      const headers = autopostingHeaders(body, SECRET);
      const hmacs = countHmacs();
      const decodes = vi.spyOn(runtimeCrypto, 'utf8Decode');
      const d = await diagnose({ vendor: 'autoposting', body, headers, secret: SECRET, now });
      expect(d.code).toBe('payload_too_large');
      expectCause(d, 'payload_too_large', /larger than 1048576 bytes.*raise maxBodyBytes/);
      expect(d.findings.map((f) => f.cause)).toEqual(['payload_too_large']);
      expect(hmacs.sizes).toEqual([]);
      expect(decodes).not.toHaveBeenCalled();
    });

    it('maxBodyBytes is respected as verify respects it, for string bodies too', async () => {
      const body = sampleBodies.aidelly.padEnd(4096, ' ');
      const hmacs = countHmacs();
      const d = await diagnose({ vendor: 'aidelly', body, headers: handSigned('aidelly', `${body}x`), secret: SECRET, now, maxBodyBytes: 2048 });
      expectCause(d, 'payload_too_large', /larger than 2048 bytes/);
      expect(hmacs.sizes).toEqual([]);
    });

    it("Autoposting's timestamp header stripped: missing_timestamp, not a wrong secret", async () => {
      const body = sampleBodies.autoposting;
      const headers = handSigned('autoposting', body);
      delete headers['X-Autoposting-Timestamp'];
      const d = await diagnose({ vendor: 'autoposting', body, headers, secret: SECRET, now });
      expect(d.code).toBe('missing_timestamp');
      expectCause(d, 'missing_timestamp', /No X-Autoposting-Timestamp header: Autoposting\.ai signs "<timestamp>\.<body>"/);
      expect(d.findings.map((f) => f.cause)).toEqual(['missing_timestamp']);
      expectNoLeak(d, SECRET, [headers['X-Autoposting-Signature']!]);
    });

    it('a sender that signs the body alone and sends no timestamp: missing_timestamp, then timestamp_not_signed', async () => {
      const body = sampleBodies.autoposting;
      const d = await diagnose({ vendor: 'autoposting', body, headers: { 'X-Autoposting-Signature': hmacHex(SECRET, body) }, secret: SECRET, now });
      expect(d.findings.map((f) => f.cause)).toEqual(['missing_timestamp', 'timestamp_not_signed']);
    });

    it('a timestamp that is not a time: malformed_timestamp', async () => {
      const body = sampleBodies.autoposting;
      const headers = handSigned('autoposting', body, SECRET, 'yesterday');
      const d = await diagnose({ vendor: 'autoposting', body, headers, secret: SECRET, now });
      expect(d.code).toBe('malformed_timestamp');
      expectCause(d, 'malformed_timestamp', /X-Autoposting-Timestamp header is not one unix or ISO-8601 time/);
    });

    // Each guess is one HMAC over at most the body and a few bytes: 1 (verify) + trailing
    // newline removed and added + BOM + body without timestamp + 2 secret spellings = 7.
    const BIG_BODY_HMACS = 7;
    for (const [name, body] of [
      ['1 MiB of junk, starting with a BOM and ending with CRLF', new Uint8Array([0xef, 0xbb, 0xbf, ...junk(MiB - 5), 0x0d, 0x0a])],
      ['a 1 MiB JSON event (non-ASCII, "/")', bigEvent(MiB - 1024)],
    ] as const) {
      it(`${name}, wrong secret: at most ${BIG_BODY_HMACS} HMACs, each over at most the body + 64 bytes`, async () => {
        const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
        expect(size).toBeLessThanOrEqual(MiB);
        const hmacs = countHmacs();
        const d = await diagnose({ vendor: 'autoposting', body, headers: autopostingHeaders(body, 'whsec_another'), secret: SECRET, now });
        expect(d.code).toBe('signature_mismatch');
        expect(d.cause).toBe('wrong_secret');
        expect(hmacs.sizes.length).toBeLessThanOrEqual(BIG_BODY_HMACS);
        expect(Math.max(...hmacs.sizes)).toBeLessThanOrEqual(size + 64);
      });
    }

    it('a large re-serialised body is still explained by the byte-level guesses (a trailing newline)', async () => {
      const body = bigEvent(64 * 1024);
      const d = await diagnose({ vendor: 'autoposting', body: `${body}\n`, headers: autopostingHeaders(body, SECRET), secret: SECRET, now });
      expectCause(d, 'trailing_newline', /gained a trailing newline/);
    });

    it('a small JSON body: the re-serialisations stay a bounded set (at most 14 HMACs per secret)', async () => {
      const body = bigEvent(1024);
      const hmacs = countHmacs();
      const d = await diagnose({ vendor: 'autoposting', body, headers: autopostingHeaders(body, 'whsec_another'), secret: [SECRET, 'whsec_old'], now });
      expect(d.cause).toBe('wrong_secret');
      expect(hmacs.sizes.length).toBeLessThanOrEqual(2 * 14);
    });

    it('never throws on random bodies and headers, and never names a cause it did not check', async () => {
      const vendor = fc.constantFrom('autoposting', 'aidelly', 'audenci', 'timbrix') as fc.Arbitrary<'autoposting' | 'aidelly' | 'audenci' | 'timbrix'>;
      const header = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }), fc.constant(''));
      await fc.assert(
        fc.asyncProperty(vendor, fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 200 }), header, header, async (v, bytes, text, sig, ts) => {
          for (const body of [bytes, text, `\uFEFF${text}\r\n`]) {
            const headers = { [signatureHeaderOf[v]]: sig, 'X-Autoposting-Timestamp': ts };
            const d = await diagnose({ vendor: v, body, headers, secret: [SECRET, 'whsec_old'], now });
            expect(typeof d.summary).toBe('string');
            expect(d.cause === undefined || d.findings[0]?.cause === d.cause).toBe(true);
          }
        }),
        { numRuns: 60 },
      );
    });
  });
});
