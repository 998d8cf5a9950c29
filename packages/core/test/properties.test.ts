// Property tests (fast-check): random bodies and secrets round-trip through headers
// signed with plain node:crypto; any single-bit flip is rejected; no input makes verify throw.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnose, errorStatuses, vendors, verify, type VendorId } from '@hookproof/core';
import { builtIns, flipBit, type BuiltIn, NOW_MS, NOW_S, signatureHeaderOf } from './helpers.js';

const RUNS = 150;
const TS_HEADER = 'X-Autoposting-Timestamp';

/** Any UTF-16 code unit, lone surrogates included: secrets are strings, so both ports must encode them alike. */
const anyString = (min = 0, max = 40) => fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), minLength: min, maxLength: max });
const secretArb = fc.oneof(fc.string({ minLength: 1, maxLength: 64 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 32 }), anyString(1, 32));
const vendorArb = fc.constantFrom<BuiltIn>(...builtIns);
const encodingArb = fc.constantFrom('hex', 'HEX', 'base64', 'base64url', 'sha256=hex', 'v1=base64');

function encode(mac: Buffer, encoding: string): string {
  switch (encoding) {
    case 'HEX':
      return mac.toString('hex').toUpperCase();
    case 'base64':
      return mac.toString('base64');
    case 'base64url':
      return mac.toString('base64url');
    case 'sha256=hex':
      return `sha256=${mac.toString('hex')}`;
    case 'v1=base64':
      return `v1=${mac.toString('base64')}`;
    default:
      return mac.toString('hex');
  }
}

const hmac = (secret: string, parts: (string | Uint8Array)[]) => {
  const h = createHmac('sha256', secret);
  for (const p of parts) h.update(p);
  return h.digest();
};

/** The headers a vendor sends, built from the vendors' pages with node:crypto. Autoposting signs "<ts>.<body>". */
function signedHeaders(vendor: BuiltIn, body: Uint8Array, secret: string, encoding: string, ts: string): Record<string, string> {
  if (vendor === 'autoposting') {
    return { [signatureHeaderOf.autoposting]: encode(hmac(secret, [`${ts}.`, body]), encoding), [TS_HEADER]: ts };
  }
  return { [signatureHeaderOf[vendor]]: encode(hmac(secret, [body]), encoding) };
}

/** A timestamp inside the 300 s window, in one of the accepted formats. */
const timestampArb = fc.tuple(fc.integer({ min: -300_000, max: 300_000 }), fc.constantFrom('s', 'ms', 'iso')).map(([offsetMs, format]) => {
  if (format === 'ms') return String(NOW_MS + offsetMs);
  if (format === 'iso') return new Date(NOW_MS + offsetMs).toISOString();
  return String(NOW_S + Math.trunc(offsetMs / 1000));
});

/** A JSON event of the vendor's documented types, with random data and formatting. */
const eventBodyArb = vendorArb.chain((vendor) =>
  fc
    .record({
      type: fc.constantFrom(...vendors[vendor].events),
      data: fc.jsonValue({ maxDepth: 3 }),
      indent: fc.constantFrom(undefined, 1, 2, '\t'),
      text: anyString(0, 30),
    })
    .map(({ type, data, indent, text }) => ({
      vendor,
      type,
      body: JSON.stringify({ event: type, text, data }, null, indent),
    })),
);

describe('round trip', () => {
  it('random event bodies, secrets, encodings and timestamps verify, reporting the secret that matched', async () => {
    await fc.assert(
      fc.asyncProperty(eventBodyArb, fc.array(secretArb, { minLength: 1, maxLength: 3 }), fc.nat(), encodingArb, timestampArb, fc.boolean(), async ({ vendor, type, body }, secrets, pick, encoding, ts, asBytes) => {
        const index = pick % secrets.length;
        const bytes = new TextEncoder().encode(body);
        const headers = signedHeaders(vendor, bytes, secrets[index]!, encoding, ts);
        const result = await verify({ vendor, body: asBytes ? bytes : body, headers, secret: secrets, now: () => NOW_MS });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(String(result.event.type)).toBe(type);
        expect(result.event.raw).toBe(body);
        // The first secret that produces the same key bytes wins (two strings can encode alike).
        const first = secrets.findIndex((s) => Buffer.from(s).equals(Buffer.from(secrets[index]!)));
        expect(result.secretIndex).toBe(first);
      }),
      { numRuns: RUNS },
    );
  });

  it('arbitrary bytes, correctly signed, never fail on authenticity: only on content', async () => {
    await fc.assert(
      fc.asyncProperty(vendorArb, fc.uint8Array({ maxLength: 300 }), secretArb, encodingArb, async (vendor, body, secret, encoding) => {
        const headers = signedHeaders(vendor, body, secret, encoding, String(NOW_S));
        const result = await verify({ vendor, body, headers, secret, now: () => NOW_MS });
        expect(result.ok ? 'ok' : result.error.code).toMatch(/^(ok|invalid_json|invalid_payload)$/);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('any single-bit flip is rejected', () => {
  const signedCase = fc.record({ event: eventBodyArb, secret: secretArb, encoding: encodingArb, ts: timestampArb, bit: fc.nat() });

  it('in the body', async () => {
    await fc.assert(
      fc.asyncProperty(signedCase, async ({ event: { vendor, body }, secret, encoding, ts, bit }) => {
        const bytes = new TextEncoder().encode(body);
        const headers = signedHeaders(vendor, bytes, secret, encoding, ts);
        const flipped = flipBit(bytes, bit % (bytes.length * 8));
        const result = await verify({ vendor, body: flipped, headers, secret, now: () => NOW_MS });
        expect(result.ok ? 'ok' : result.error.code).toBe('signature_mismatch');
      }),
      { numRuns: RUNS },
    );
  });

  it('in the decoded signature, whatever its encoding', async () => {
    await fc.assert(
      fc.asyncProperty(signedCase, async ({ event: { vendor, body }, secret, encoding, ts, bit }) => {
        const bytes = new TextEncoder().encode(body);
        const mac = vendor === 'autoposting' ? hmac(secret, [`${ts}.`, bytes]) : hmac(secret, [bytes]);
        const headers = signedHeaders(vendor, bytes, secret, encoding, ts);
        headers[signatureHeaderOf[vendor]] = encode(Buffer.from(flipBit(mac, bit % 256)), encoding);
        const result = await verify({ vendor, body, headers, secret, now: () => NOW_MS });
        expect(result.ok ? 'ok' : result.error.code).toBe('signature_mismatch');
      }),
      { numRuns: RUNS },
    );
  });

  it('in the signature header text: accepted only if the flip merely changed the case of a hex digit or prefix', async () => {
    await fc.assert(
      fc.asyncProperty(signedCase, async ({ event: { vendor, body }, secret, ts, bit }) => {
        const bytes = new TextEncoder().encode(body);
        const headers = signedHeaders(vendor, bytes, secret, 'sha256=hex', ts);
        const header = signatureHeaderOf[vendor];
        const original = headers[header]!;
        const flipped = Buffer.from(flipBit(Buffer.from(original, 'latin1'), bit % (original.length * 8))).toString('latin1');
        headers[header] = flipped;
        const result = await verify({ vendor, body, headers, secret, now: () => NOW_MS });
        expect(result.ok).toBe(flipped.toLowerCase() === original.toLowerCase());
      }),
      { numRuns: RUNS },
    );
  });

  it('in the signed timestamp', async () => {
    await fc.assert(
      fc.asyncProperty(signedCase, async ({ event: { body }, secret, encoding, ts, bit }) => {
        const bytes = new TextEncoder().encode(body);
        const headers = signedHeaders('autoposting', bytes, secret, encoding, ts);
        const flipped = Buffer.from(flipBit(Buffer.from(ts, 'latin1'), bit % (ts.length * 8))).toString('latin1');
        headers[TS_HEADER] = flipped;
        const result = await verify({ vendor: 'autoposting', body: bytes, headers, secret, now: () => NOW_MS });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toMatch(/^(signature_mismatch|malformed_timestamp|missing_timestamp)$/);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('no generated input makes verify (or diagnose) throw', () => {
  const headerName = fc.oneof(
    fc.constantFrom(...Object.values(signatureHeaderOf), TS_HEADER, 'X-Autoposting-Event', 'X-Autoposting-Delivery', 'authorization', '__proto__', 'constructor', 'toString', 'get', 'has'),
    fc.string({ maxLength: 30 }),
  );
  const headerValue = fc.oneof(
    fc.string({ maxLength: 80 }),
    anyString(0, 80),
    fc.array(fc.oneof(fc.string({ maxLength: 80 }), fc.constant(undefined), fc.integer())),
    fc.stringMatching(/^(sha256=|v1=)?[0-9a-fA-F]{0,70}$/),
    fc.base64String({ maxLength: 90 }),
    fc.integer(),
    fc.anything(),
  );
  const headersArb = fc.oneof(
    { weight: 6, arbitrary: fc.dictionary(headerName, headerValue, { maxKeys: 8 }) },
    { weight: 2, arbitrary: fc.dictionary(headerName, fc.string({ maxLength: 80 }), { maxKeys: 8 }).map((d) => new Headers(Object.entries(d).filter(([k]) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)))) },
    { weight: 1, arbitrary: fc.anything() },
  );
  const bodyArb = fc.oneof(fc.string({ maxLength: 200 }), anyString(0, 200), fc.uint8Array({ maxLength: 200 }), fc.json(), fc.anything());
  const optionsArb = fc.record(
    {
      toleranceSec: fc.nat({ max: 10_000 }),
      now: fc.integer({ min: 0, max: 4_102_444_800_000 }).map((t) => () => t),
      maxBodyBytes: fc.integer({ min: 1, max: 2048 }),
    },
    { requiredKeys: [] },
  );

  it('verify resolves a result whose status matches its code', async () => {
    await fc.assert(
      fc.asyncProperty(vendorArb, bodyArb, headersArb, fc.oneof(secretArb, fc.array(secretArb, { minLength: 1, maxLength: 3 })), optionsArb, async (vendor, body, headers, secret, options) => {
        const result = await verify({ vendor, body: body as string, headers: headers as Headers, secret, ...options });
        if (!result.ok) {
          expect(result.error.status).toBe(errorStatuses[result.error.code]);
          // A secret long enough not to occur by chance never reaches the response body.
          for (const s of [secret].flat()) if (s.length >= 12) expect(JSON.stringify(result.error.toJSON())).not.toContain(s);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('diagnose resolves a diagnosis', async () => {
    await fc.assert(
      fc.asyncProperty(vendorArb, bodyArb, headersArb, secretArb, async (vendor, body, headers, secret) => {
        const d = await diagnose({ vendor, body: body as string, headers: headers as Headers, secret, now: () => NOW_MS });
        expect(typeof d.summary).toBe('string');
        expect(d.ok || d.code !== undefined).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
