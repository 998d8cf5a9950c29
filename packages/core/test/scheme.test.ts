// The scheme module on its own: templates, header syntax, secret encodings and the
// crypto ports' HMAC hashes (this file also runs in the core-web project, on Web Crypto).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runtimeCrypto } from '@hookproof/core';
import { compileScheme, parseSignatureHeader, parseTemplate, secretKey, signedParts, type SigningScheme } from '../src/scheme.js';

const stripeLike: SigningScheme = { signedContent: '{timestamp}.{body}', signature: { header: 'Stripe-Signature', prefix: 'v1=', separator: ',' }, timestamp: { key: 't' } };
const swLike: SigningScheme = {
  secretEncoding: 'whsec-base64',
  signedContent: '{id}.{timestamp}.{body}',
  signature: { header: ['webhook-signature', 'svix-signature'], prefix: 'v1,', separator: ' ', encoding: 'base64' },
  timestamp: { header: ['webhook-timestamp', 'svix-timestamp'] },
  id: { header: ['webhook-id', 'svix-id'] },
};

describe('signed-content templates', () => {
  it('parses fields and literal text, any separator', () => {
    expect(parseTemplate('v0:{timestamp}:{body}')).toEqual([{ text: 'v0:' }, { field: 'timestamp' }, { text: ':' }, { field: 'body' }]);
    expect(parseTemplate('{id}.{timestamp}.{body}')).toHaveLength(5);
    expect(parseTemplate('{body}')).toEqual([{ field: 'body' }]);
  });

  it('refuses a template without {body}, with it twice, or with an unknown field', () => {
    for (const bad of ['{timestamp}', '{body}{body}', '{ts}.{body}', '']) expect(() => parseTemplate(bad), bad).toThrow(TypeError);
  });

  it('builds the HMAC input from header values as received', () => {
    const s = compileScheme(swLike);
    expect(signedParts(s, 'BODY', { id: 'msg_1', timestamp: '17' })).toEqual(['msg_1.17.', 'BODY']);
    expect(signedParts(compileScheme({ ...stripeLike, signedContent: 'v0:{timestamp}:{body}:end' }), 'B', { timestamp: '1' })).toEqual(['v0:1:', 'B', ':end']);
  });
});

describe('compileScheme: setup errors name the fix', () => {
  const cases: [string, SigningScheme][] = [
    ['{timestamp} without a source', { signedContent: '{timestamp}.{body}', signature: { header: 'x-sig' } }],
    ['a timestamp the MAC does not cover', { signedContent: '{body}', signature: { header: 'x-sig' }, timestamp: { header: 'x-ts' } }],
    ['{id} without a header', { signedContent: '{id}.{body}', signature: { header: 'x-sig' } }],
    ['an id the MAC does not cover', { signedContent: '{body}', signature: { header: 'x-sig' }, id: { header: 'x-id' } }],
    ['a prefix holding the separator', { signedContent: '{body}', signature: { header: 'x-sig', prefix: 'v1,', separator: ',' } }],
    ['an unknown hash', { algorithm: 'md5' as 'sha1', signedContent: '{body}', signature: { header: 'x-sig' } }],
    ['no header', { signedContent: '{body}', signature: { header: [] } }],
    ['a header name with a space', { signedContent: '{body}', signature: { header: 'x sig' } }],
    ['a timestamp key without a signature label', { signedContent: '{timestamp}.{body}', signature: { header: 'x-sig' }, timestamp: { key: 't' } }],
  ];
  for (const [name, scheme] of cases) it(name, () => expect(() => compileScheme(scheme)).toThrow(TypeError));
});

describe('signature header syntax', () => {
  const mac = createHmac('sha256', 'k').update('x').digest();
  const hex = mac.toString('hex');
  const b64 = mac.toString('base64');

  it('Stripe: t= and several v1= entries in any order; v0= and unknown labels are skipped', () => {
    const parsed = parseSignatureHeader(compileScheme(stripeLike), [`v0=${hex},t=1700000000,v1=${'ab'.repeat(32)},v2=${hex},v1=${hex}`]);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.macs.map((m) => Buffer.from(m).toString('hex'))).toEqual(['ab'.repeat(32), hex]);
      expect(parsed.timestamp).toBe('1700000000');
    }
  });

  it('Standard Webhooks: space-separated v1, entries; v1a, and v2, are never candidates', () => {
    const s = compileScheme(swLike);
    const parsed = parseSignatureHeader(s, [`v1a,${b64} v2,${b64} v1,${b64}`]);
    expect(parsed.ok && parsed.macs.length).toBe(1);
    expect(parseSignatureHeader(s, [`v1a,${b64} v2,${b64}`])).toMatchObject({ ok: false, reason: 'no_known_label' });
    expect(parseSignatureHeader(s, ['v1,'])).toMatchObject({ ok: false, reason: 'undecodable' });
    expect(parseSignatureHeader(s, ['v1,Ceo5qEr0'])).toMatchObject({ ok: false, reason: 'wrong_length' });
  });

  it('Paddle: ; separated, ts= key', () => {
    const s = compileScheme({ signedContent: '{timestamp}:{body}', signature: { header: 'Paddle-Signature', prefix: 'h1=', separator: ';' }, timestamp: { key: 'ts' } });
    expect(parseSignatureHeader(s, [`ts=1;h1=${hex}`])).toMatchObject({ ok: true, timestamp: '1' });
    expect(parseSignatureHeader(s, [`ts=1;ts=2;h1=${hex}`]).ok && typeof parseSignatureHeader(s, [`ts=1;ts=2;h1=${hex}`]).timestamp).toBe('symbol');
  });

  it('SHA-1 and SHA-512 MAC lengths', () => {
    const sha1 = compileScheme({ algorithm: 'sha1', signedContent: '{body}', signature: { header: 'x-sig', prefix: 'sha1=' } });
    expect(parseSignatureHeader(sha1, [`sha1=${'ab'.repeat(20)}`]).ok).toBe(true);
    expect(parseSignatureHeader(sha1, [`sha1=${hex}`])).toMatchObject({ ok: false, reason: 'wrong_length' });
    const sha512 = compileScheme({ algorithm: 'sha512', signedContent: '{body}', signature: { header: 'x-sig' } });
    expect(parseSignatureHeader(sha512, ['ab'.repeat(64)]).ok).toBe(true);
  });

  it('bounds: more than 16 entries or 4096 characters are refused before decoding', () => {
    const s = compileScheme(swLike);
    expect(parseSignatureHeader(s, [Array(17).fill(`v1,${b64}`).join(' ')])).toMatchObject({ ok: false, reason: 'too_long' });
    expect(parseSignatureHeader(s, [`v1,${'A'.repeat(5000)}`])).toMatchObject({ ok: false, reason: 'too_long' });
  });
});

describe('secret encodings', () => {
  it('utf8 keeps the string; base64 and whsec_ + base64 decode to bytes; Uint8Array is raw', () => {
    expect(secretKey('whsec_abc', 'utf8')).toBe('whsec_abc');
    expect(Buffer.from(secretKey('whsec_aGVsbG8=', 'whsec-base64') as Uint8Array).toString()).toBe('hello');
    expect(Buffer.from(secretKey('aGVsbG8', 'whsec-base64') as Uint8Array).toString()).toBe('hello');
    expect(Buffer.from(secretKey('aGVsbG8=', 'base64') as Uint8Array).toString()).toBe('hello');
    const raw = new Uint8Array([1, 2, 3]);
    expect(secretKey(raw, 'whsec-base64')).toBe(raw);
    for (const bad of ['whsec_', 'not base64!', 'whsec_***']) expect(secretKey(bad, 'whsec-base64'), bad).toBeUndefined();
  });
});

describe(`crypto port (${runtimeCrypto.runtime}): every hash a scheme names`, () => {
  for (const algorithm of ['sha1', 'sha256', 'sha512'] as const) {
    it(`HMAC-${algorithm} with a string key and with raw key bytes`, async () => {
      const key = new Uint8Array([0, 255, 7, 42, 128]);
      const parts = ['v0:1:', new TextEncoder().encode('{"a":1}')];
      const expected = (k: string | Uint8Array) => createHmac(algorithm, k).update('v0:1:{"a":1}').digest('hex');
      expect(Buffer.from(await runtimeCrypto.hmac(algorithm, 'sécret', parts)).toString('hex')).toBe(expected('sécret'));
      expect(Buffer.from(await runtimeCrypto.hmac(algorithm, key, parts)).toString('hex')).toBe(expected(key));
      // Cached keys stay per hash.
      expect(Buffer.from(await runtimeCrypto.hmac(algorithm, key, parts)).toString('hex')).toBe(expected(key));
    });
  }
});
