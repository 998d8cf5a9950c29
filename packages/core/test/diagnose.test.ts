// diagnose(): one test per cause it claims to detect, each built from a realistic
// mistake. Every delivery is signed with plain node:crypto as the vendor would.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis, type VerifyInput } from '@hookproof/core';
import { handSigned, hmacHex, NOW_MS, NOW_S, sampleBodies, SECRET } from './helpers.js';

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
});
