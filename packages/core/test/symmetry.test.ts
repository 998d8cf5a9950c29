// sign/verify symmetry: for every built-in vendor, every recipe and random valid
// defineVendor schemes, verify accepts what sign produces and rejects any changed body
// byte or signed timestamp. The independent check of each scheme's bytes is in
// recipes.test.ts and standard-webhooks.test.ts (official signers, plain node:crypto); this
// file guards that the two directions read one scheme.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineVendor, schemeOf, sign, vendorIds, vendors, verify, type SigningScheme, type VendorProfile } from '@hookproof/core';
import { recipes } from '@hookproof/core/recipes';

const RUNS = 60;
const NOW_S = 1767225600;
const now = () => NOW_S * 1000;

const bytesArb = fc.uint8Array({ minLength: 1, maxLength: 48 });
const textArb = fc.string({ maxLength: 60 });

function secretFor(profile: VendorProfile, raw: Uint8Array): string {
  const encoding = schemeOf(profile).secretEncoding;
  const b64 = Buffer.from(raw).toString('base64');
  if (encoding === 'whsec-base64') return `whsec_${b64}`;
  if (encoding === 'base64') return b64;
  return `s_${Buffer.from(raw).toString('hex')}`;
}

function bodyFor(profile: VendorProfile, type: string, text: string): string {
  const out: Record<string, unknown> = { note: text, data: { n: text.length } };
  const field = profile.typeFields[0];
  if (field !== undefined) out[field] = type;
  if (profile.idField !== undefined) out[profile.idField] = `evt_${text.length}`;
  return JSON.stringify(out);
}

async function roundTrip(profile: VendorProfile, raw: Uint8Array, text: string, flipAt: number) {
  const secret = secretFor(profile, raw);
  const body = bodyFor(profile, 'thing.happened', text);
  const headers = await sign({ vendor: profile, secret, body, timestamp: NOW_S, id: 'msg_sym', type: 'thing.happened' });
  const good = await verify({ vendor: profile, secret, body, headers, now });
  expect(good.ok, good.ok ? '' : `${profile.id}: ${good.error.code} ${good.error.message}`).toBe(true);
  if (good.ok) expect(String(good.event.type)).toBe('thing.happened');
  // Any changed byte of the body is refused.
  const bytes = Buffer.from(body);
  const i = flipAt % bytes.length;
  bytes[i] = bytes[i]! ^ (1 << (flipAt % 7));
  const bad = await verify({ vendor: profile, secret, body: new Uint8Array(bytes), headers, now });
  expect(bad.ok, `${profile.id}: changed byte ${i}`).toBe(false);
  // A signed timestamp moved by one second is refused.
  const scheme = schemeOf(profile);
  if (scheme.timestamp !== undefined) {
    const moved = await sign({ vendor: profile, secret, body, timestamp: NOW_S + 1, id: 'msg_sym', type: 'thing.happened' });
    const mixed: Record<string, string> = { ...headers };
    if (scheme.timestamp.key === undefined) mixed[scheme.timestamp.names[0]!.toLowerCase()] = String(NOW_S + 1);
    else mixed[scheme.signatureNames[0]!.toLowerCase()] = headers[scheme.signatureNames[0]!.toLowerCase()]!.replace(new RegExp(`${scheme.timestamp.key}=[^,; ]+`), `${scheme.timestamp.key}=${NOW_S + 1}`);
    expect(mixed).not.toEqual(moved);
    expect((await verify({ vendor: profile, secret, body, headers: mixed, now })).ok, `${profile.id}: moved timestamp`).toBe(false);
  }
}

describe('sign/verify symmetry', () => {
  const known: VendorProfile[] = [...vendorIds.map((id) => vendors[id] as VendorProfile), ...recipes];
  for (const profile of known) {
    it(`${profile.id}: verify accepts what sign writes and refuses any changed byte`, async () => {
      await fc.assert(fc.asyncProperty(bytesArb, textArb, fc.nat(), (raw, text, at) => roundTrip(profile, raw, text, at)), { numRuns: RUNS / 2 });
    });
  }

  const headerName = fc.constantFrom('x-sig', 'X-Signature', 'webhook-signature', 'x-acme-mac');
  const schemeArb: fc.Arbitrary<SigningScheme> = fc
    .record({
      algorithm: fc.constantFrom('sha1', 'sha256', 'sha512' as const),
      secretEncoding: fc.constantFrom('utf8', 'base64', 'whsec-base64' as const),
      withTimestamp: fc.constantFrom('none', 'header', 'key' as const),
      withId: fc.boolean(),
      literal: fc.constantFrom('', 'v0', 'v1', 'sig'),
      sep: fc.constantFrom('.', ':', '|', ''),
      prefix: fc.constantFrom('', 'v1=', 'v1,', 'sha256=', 'h1=', 'v0=', 's:'),
      separator: fc.constantFrom(',', ';', ' ' as const),
      encoding: fc.constantFrom('hex', 'base64', 'base64url' as const),
      format: fc.constantFrom('unix-s', 'unix-ms', 'iso' as const),
      header: headerName,
    })
    .filter((r) => !r.prefix.includes(r.separator) && !(r.withTimestamp === 'key' && r.prefix === ''))
    .map((r) => {
      const fields = [r.literal === '' ? undefined : r.literal, r.withId ? '{id}' : undefined, r.withTimestamp === 'none' ? undefined : '{timestamp}', '{body}'].filter((f) => f !== undefined);
      return {
        algorithm: r.algorithm,
        secretEncoding: r.secretEncoding,
        signedContent: fields.join(r.sep),
        signature: { header: r.header, prefix: r.prefix, separator: r.separator, encoding: r.encoding },
        ...(r.withTimestamp === 'header' ? { timestamp: { header: 'x-ts', format: r.format } } : r.withTimestamp === 'key' ? { timestamp: { key: 't', format: r.format } } : {}),
        ...(r.withId ? { id: { header: 'x-msg-id' } } : {}),
      } as SigningScheme;
    });

  it('random defineVendor schemes: verify accepts what sign writes and refuses any changed byte', async () => {
    await fc.assert(
      fc.asyncProperty(schemeArb, bytesArb, textArb, fc.nat(), async (scheme, raw, text, at) => {
        const profile = defineVendor({ ...vendors.aidelly, id: 'acme', name: 'Acme', scheme });
        await roundTrip(profile, raw, text, at);
      }),
      { numRuns: RUNS },
    );
  });

  it('a random scheme signs what plain node:crypto computes (independent check)', async () => {
    await fc.assert(
      fc.asyncProperty(schemeArb, bytesArb, async (scheme, raw) => {
        const profile = defineVendor({ ...vendors.aidelly, id: 'acme', name: 'Acme', scheme });
        const secret = secretFor(profile, raw);
        const body = bodyFor(profile, 'thing.happened', 'x');
        const headers = await sign({ vendor: profile, secret, body, timestamp: NOW_S, id: 'msg_1' });
        const key = scheme.secretEncoding === 'utf8' ? secret : Buffer.from(raw);
        const c = schemeOf(profile);
        const ts = c.timestamp === undefined ? undefined : c.timestamp.key === undefined ? headers[c.timestamp.names[0]!.toLowerCase()] : /(?:^|[,; ])t=([^,; ]+)/.exec(headers[c.signatureNames[0]!.toLowerCase()]!)?.[1];
        const content = scheme.signedContent.replace('{id}', 'msg_1').replace('{timestamp}', ts ?? '').replace('{body}', body);
        const mac = createHmac(scheme.algorithm ?? 'sha256', key).update(content).digest();
        const value = headers[c.signatureNames[0]!.toLowerCase()]!;
        const enc = scheme.signature.encoding === 'hex' ? mac.toString('hex') : scheme.signature.encoding === 'base64' ? mac.toString('base64') : mac.toString('base64url');
        expect(value.endsWith(`${scheme.signature.prefix ?? ''}${enc}`)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('no header or body makes verify throw or reject, for any known scheme', async () => {
    const known: VendorProfile[] = [...vendorIds.map((id) => vendors[id] as VendorProfile), ...recipes];
    const names = [...new Set(known.flatMap((p) => { const s = schemeOf(p); return [...s.signatureNames, ...(s.timestamp?.names ?? []), ...(s.id?.names ?? [])]; }))];
    const valueArb = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('v1,', 't=,v1=', 'ts=;h1=', 'v1, v1,', 'sha256=', '=', ',,,', ' '.repeat(50)), fc.string({ unit: 'binary', maxLength: 40 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...known), fc.dictionary(fc.constantFrom(...names), valueArb), fc.oneof(fc.string(), fc.uint8Array({ maxLength: 64 })), async (profile, headers, body) => {
        const secret = secretFor(profile, new Uint8Array([1, 2, 3, 4]));
        const result = await verify({ vendor: profile, secret, body, headers, now });
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it('profiles without a scheme: any signaturePrefix and signedContent template round-trips (sign and verify read one scheme)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('', 'sha256=', 'v1=', 'v0=', 'h1=', 'sig:', 'SHA256='),
        fc.constantFrom('body', 'timestamp.body', 'v0:{timestamp}:{body}', '{timestamp}|{body}') as fc.Arbitrary<'body'>,
        fc.constantFrom('hex', 'base64', 'base64url' as const),
        bytesArb,
        textArb,
        fc.nat(),
        async (signaturePrefix, signedContent, signatureEncoding, raw, text, at) => {
          const timestamped = signedContent !== 'body';
          const profile = defineVendor({
            ...vendors.aidelly,
            id: 'legacy',
            name: 'Legacy',
            signaturePrefix,
            signedContent,
            signatureEncoding,
            ...(timestamped ? { timestampHeader: 'X-Legacy-Timestamp', timestampFormat: 'unix-s' as const } : {}),
          });
          await roundTrip(profile, raw, text, at);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a form-encoded or empty body verifies where the profile takes form bodies', async () => {
    const profile = defineVendor({ ...vendors.aidelly, id: 'formish', name: 'Formish', bodyFormat: 'json-or-form', typeFields: ['command'], untypedEvent: 'ping' });
    for (const body of ['command=%2Fdeploy&text=now', '']) {
      const headers = await sign({ vendor: profile, secret: 'k', body });
      expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
      const result = await verify({ vendor: profile, secret: 'k', body, headers });
      expect(result.ok).toBe(true);
      if (result.ok) expect([String(result.event.type), result.event.payload]).toEqual(body === '' ? ['ping', {}] : ['/deploy', { command: '/deploy', text: 'now' }]);
    }
  });
});
