// Per vendor: deliveries signed in the test with plain node:crypto verify, and any
// one changed byte in body, signature, timestamp or secret fails with the right code.
import { describe, expect, it } from 'vitest';
import { sign, verify, vendors, type VerifyResult } from '@hookproof/core';
import {
  builtIns,
  changeChar,
  handSigned,
  hmacBytes,
  hmacHex,
  NOW_MS,
  NOW_S,
  sampleBodies,
  sampleType,
  SECRET,
  signatureHeaderOf,
  type BuiltIn,
} from './helpers.js';

const now = () => NOW_MS;

function expectFailure(result: VerifyResult, code: string, status = 401): void {
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.code).toBe(code);
    expect(result.error.status).toBe(status);
  }
}

for (const vendor of builtIns) {
  const body = sampleBodies[vendor];
  const header = signatureHeaderOf[vendor];

  describe(`${vendor}: node:crypto-signed deliveries`, () => {
    it('verify, with the documented event type, vendor, raw body and secret index', async () => {
      const result = await verify({ vendor, body, headers: handSigned(vendor, body), secret: SECRET, now });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(String(result.event.type)).toBe(sampleType[vendor]);
      expect(result.event.documented).toBe(true);
      expect(result.event.vendor).toBe(vendor);
      expect(result.event.raw).toBe(body);
      expect(result.event.payload).toEqual(JSON.parse(body));
      expect(result.secretIndex).toBe(0);
    });

    it('verify as bytes: Uint8Array, Buffer and ArrayBuffer', async () => {
      const headers = handSigned(vendor, body);
      const bytes = new TextEncoder().encode(body);
      for (const b of [bytes, Buffer.from(body), bytes.buffer]) {
        const result = await verify({ vendor, body: b as Uint8Array, headers, secret: SECRET, now });
        expect(result.ok).toBe(true);
      }
    });

    it('any one changed byte of the body fails with signature_mismatch', async () => {
      const headers = handSigned(vendor, body);
      for (const index of [0, 1, Math.floor(body.length / 2), body.length - 2, body.length - 1]) {
        const tampered = changeChar(body, index, 'abcdefghijklmnopqrstuvwxyz{}":,0123456789');
        expect(tampered).not.toBe(body);
        expectFailure(await verify({ vendor, body: tampered, headers, secret: SECRET, now }), 'signature_mismatch');
      }
      // A byte appended or removed.
      expectFailure(await verify({ vendor, body: `${body} `, headers, secret: SECRET, now }), 'signature_mismatch');
      expectFailure(await verify({ vendor, body: body.slice(1), headers, secret: SECRET, now }), 'signature_mismatch');
    });

    it('any one changed hex digit of the signature fails with signature_mismatch', async () => {
      const headers = handSigned(vendor, body);
      const sig = headers[header]!;
      const start = sig.length - 64;
      for (let i = start; i < sig.length; i++) {
        const changed = { ...headers, [header]: changeChar(sig, i) };
        expectFailure(await verify({ vendor, body, headers: changed, secret: SECRET, now }), 'signature_mismatch');
      }
    });

    it('any one changed byte of the secret fails with signature_mismatch', async () => {
      const headers = handSigned(vendor, body);
      for (const index of [0, 6, SECRET.length - 1]) {
        const wrong = changeChar(SECRET, index, 'abcdefghijklmnopqrstuvwxyz_ABC');
        expect(wrong).not.toBe(SECRET);
        expectFailure(await verify({ vendor, body, headers, secret: wrong, now }), 'signature_mismatch');
      }
    });

    it('a secret that is a prefix or an extension of the right one fails', async () => {
      const headers = handSigned(vendor, body);
      for (const wrong of [SECRET.slice(0, -1), `${SECRET}x`, SECRET.slice(6), ` ${SECRET}`]) {
        expectFailure(await verify({ vendor, body, headers, secret: wrong, now }), 'signature_mismatch');
      }
    });

    it('rotation: the matching secret wins wherever it is in the list', async () => {
      const headers = handSigned(vendor, body);
      for (const [secrets, index] of [
        [[SECRET, 'old'], 0],
        [['old', SECRET], 1],
        [['a', 'b', 'c', SECRET], 3],
      ] as const) {
        const result = await verify({ vendor, body, headers, secret: secrets, now });
        expect(result.ok && result.secretIndex).toBe(index);
      }
      expectFailure(await verify({ vendor, body, headers, secret: ['a', 'b'], now }), 'signature_mismatch');
    });
  });
}

describe('autoposting: the signed timestamp', () => {
  const body = sampleBodies.autoposting;

  it('any one changed digit of the timestamp fails with signature_mismatch (still inside the window)', async () => {
    const headers = handSigned('autoposting', body);
    const ts = headers['X-Autoposting-Timestamp']!;
    // `now` follows the changed header, so the window never rejects it: only the MAC can.
    for (let i = ts.length - 3; i < ts.length; i++) {
      const changed = changeChar(ts, i, '0123456789');
      const result = await verify({
        vendor: 'autoposting',
        body,
        headers: { ...headers, 'X-Autoposting-Timestamp': changed },
        secret: SECRET,
        now: () => Number(changed) * 1000,
      });
      expectFailure(result, 'signature_mismatch');
    }
  });

  it('a timestamp moved to another valid format for the same instant fails (the header text is what is signed)', async () => {
    const headers = handSigned('autoposting', body);
    for (const other of [String(NOW_MS), new Date(NOW_MS).toISOString()]) {
      const result = await verify({ vendor: 'autoposting', body, headers: { ...headers, 'X-Autoposting-Timestamp': other }, secret: SECRET, now });
      expectFailure(result, 'signature_mismatch');
    }
  });

  it('exposes the signed time and the delivery id on the event', async () => {
    const headers = { ...handSigned('autoposting', body), 'X-Autoposting-Delivery': 'dlv_9' };
    const result = await verify({ vendor: 'autoposting', body, headers, secret: SECRET, now });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event.signedAt).toBe(NOW_MS);
    expect(result.event.deliveryId).toBe('dlv_9');
    expect(result.event.id).toBe('evt_1');
    expect(result.event.idSource).toBe('payload');
  });
});

describe('event ids without a vendor id', () => {
  for (const vendor of ['aidelly', 'audenci'] as const) {
    it(`${vendor}: a stable digest of the body, different for a different body`, async () => {
      const body = sampleBodies[vendor];
      const other = body.replace('"post.published"', '"post.failed"');
      const [a, b, c] = await Promise.all(
        [body, body, other].map((x) => verify({ vendor, body: x, headers: handSigned(vendor, x), secret: SECRET, now })),
      );
      expect(a!.ok && b!.ok && c!.ok).toBe(true);
      if (!a!.ok || !b!.ok || !c!.ok) return;
      expect(a!.event.idSource).toBe('body-digest');
      expect(a!.event.id).toMatch(/^sha256:[0-9a-f]{32}$/);
      expect(b!.event.id).toBe(a!.event.id);
      expect(c!.event.id).not.toBe(a!.event.id);
    });
  }
});

describe('sign() against node:crypto', () => {
  const secret = SECRET;

  it('autoposting: hex HMAC of "<unix s>.<body>", timestamp, event and delivery headers', async () => {
    const body = sampleBodies.autoposting;
    const headers = await sign({ vendor: 'autoposting', body, secret, timestamp: NOW_S, id: 'dlv_1' });
    expect(headers).toEqual({
      'content-type': 'application/json',
      'x-autoposting-signature': hmacHex(secret, `${NOW_S}.${body}`),
      'x-autoposting-timestamp': String(NOW_S),
      'x-autoposting-event': 'post.published',
      'x-autoposting-delivery': 'dlv_1',
    });
  });

  it('autoposting: fractional timestamps are written as whole seconds, and the MAC covers that text', async () => {
    const body = sampleBodies.autoposting;
    const headers = await sign({ vendor: 'autoposting', body, secret, timestamp: NOW_S + 0.75 });
    expect(headers['x-autoposting-timestamp']).toBe(String(NOW_S));
    expect(headers['x-autoposting-signature']).toBe(hmacHex(secret, `${NOW_S}.${body}`));
  });

  it('autoposting: without a timestamp it signs the current time', async () => {
    const before = Math.floor(Date.now() / 1000);
    const headers = await sign({ vendor: 'autoposting', body: '{}', secret });
    const ts = Number(headers['x-autoposting-timestamp']);
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(headers['x-autoposting-signature']).toBe(hmacHex(secret, `${ts}.{}`));
  });

  it("aidelly: sha256=<lowercase hex> of the body (the guide's sample verifier)", async () => {
    const body = sampleBodies.aidelly;
    const headers = await sign({ vendor: 'aidelly', body, secret });
    expect(headers).toEqual({ 'content-type': 'application/json', 'aidelly-signature': `sha256=${hmacHex(secret, body)}` });
  });

  it('audenci and timbrix: hex of the body', async () => {
    for (const vendor of ['audenci', 'timbrix'] as const) {
      const body = sampleBodies[vendor];
      const headers = await sign({ vendor, body, secret });
      expect(headers).toEqual({ 'content-type': 'application/json', [signatureHeaderOf[vendor].toLowerCase()]: hmacHex(secret, body) });
    }
  });

  it('encoding override: base64 and base64url match Buffer encodings', async () => {
    const body = sampleBodies.timbrix;
    const mac = hmacBytes(secret, body);
    expect((await sign({ vendor: 'timbrix', body, secret, encoding: 'base64' }))['x-webhook-signature']).toBe(mac.toString('base64'));
    expect((await sign({ vendor: 'timbrix', body, secret, encoding: 'base64url' }))['x-webhook-signature']).toBe(mac.toString('base64url'));
    expect((await sign({ vendor: 'aidelly', body, secret, encoding: 'base64' }))['aidelly-signature']).toBe(`sha256=${mac.toString('base64')}`);
  });

  it('signs bytes exactly: multibyte text as a string or as UTF-8 bytes gives the same MAC', async () => {
    const body = JSON.stringify({ event: 'post.created', data: { text: 'naïve café 🚀 \u2028' } });
    const expected = hmacHex(secret, Buffer.from(body, 'utf8'));
    for (const b of [body, new TextEncoder().encode(body), Buffer.from(body)]) {
      expect((await sign({ vendor: 'audenci', body: b, secret }))['x-audenci-signature']).toBe(expected);
    }
  });

  it('signs non-UTF-8 bytes as they are', async () => {
    const body = new Uint8Array([0x7b, 0xff, 0xfe, 0x00, 0x7d]);
    expect((await sign({ vendor: 'timbrix', body, secret }))['x-webhook-signature']).toBe(hmacHex(secret, Buffer.from(body)));
  });

  it("uses every built-in profile with no vendor-specific code in the test beyond the names the vendors' pages give", () => {
    for (const vendor of builtIns) expect(vendors[vendor].signatureHeader).toBe(signatureHeaderOf[vendor as BuiltIn]);
  });

  it('refuses a missing secret or a parsed body as setup errors', async () => {
    await expect(sign({ vendor: 'aidelly', body: '{}', secret: '' })).rejects.toThrow(TypeError);
    await expect(sign({ vendor: 'aidelly', body: { event: 'x' } as unknown as string, secret })).rejects.toThrow(/serialise JSON once/);
    await expect(sign({ vendor: 'nope' as 'aidelly', body: '{}', secret })).rejects.toThrow(/unknown vendor "nope"/);
  });
});
