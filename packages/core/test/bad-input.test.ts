// Everything a network peer controls: verify never throws on any of it and resolves
// the documented code and status. Only setup mistakes throw, as TypeErrors naming the fix.
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { verify, type VendorId, type VerifyInput, type VerifyResult } from '@hookproof/core';
import { builtIns, handSigned, hmacBytes, hmacHex, NOW_MS, sampleBodies, sampleType, SECRET, signatureHeaderOf } from './helpers.js';

const now = () => NOW_MS;

/** Calls verify, failing the test if it throws or rejects instead of resolving. */
async function safeVerify<V extends VendorId>(input: Omit<VerifyInput<V>, 'body' | 'headers'> & { body: unknown; headers: unknown }): Promise<VerifyResult<V>> {
  let pending: Promise<VerifyResult<V>> | undefined;
  expect(() => {
    pending = verify({ now, ...input } as VerifyInput<V>);
  }).not.toThrow();
  let settled: VerifyResult<V> | undefined;
  await expect(
    pending!.then((r) => {
      settled = r;
      return r;
    }),
  ).resolves.toBeDefined();
  return settled!;
}

function codeOf(result: VerifyResult<VendorId>): string {
  return result.ok ? 'ok' : result.error.code;
}

function expectCode(result: VerifyResult<VendorId>, code: string, status: number): void {
  expect(codeOf(result)).toBe(code);
  if (!result.ok) {
    expect(result.error.status).toBe(status);
    expect(result.error.toJSON()).toEqual({ error: code, message: result.error.message });
  }
}

describe('header containers: Fetch Headers, IncomingHttpHeaders, plain records', () => {
  for (const vendor of builtIns) {
    const body = sampleBodies[vendor];
    const signed = handSigned(vendor, body);
    const variants: [string, unknown][] = [
      ['plain record, vendor casing', signed],
      ['plain record, lower case', Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v]))],
      ['plain record, upper case', Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toUpperCase(), v]))],
      ['plain record, values padded with spaces and tabs', Object.fromEntries(Object.entries(signed).map(([k, v]) => [k, ` \t${v}  `]))],
      ['plain record, values as one-element arrays', Object.fromEntries(Object.entries(signed).map(([k, v]) => [k, [v]]))],
      ['null-prototype record', Object.assign(Object.create(null) as object, signed)],
      ['Fetch Headers', new Headers(signed)],
      ['Fetch Headers, padded values', new Headers(Object.entries(signed).map(([k, v]): [string, string] => [k, ` ${v} `]))],
      ['IncomingHttpHeaders shape', { host: '127.0.0.1', 'content-type': 'application/json', ...Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v])) } satisfies IncomingHttpHeaders],
    ];
    for (const [name, headers] of variants) {
      it(`${vendor}: ${name}`, async () => {
        const result = await safeVerify({ vendor, body, headers, secret: SECRET });
        expect(codeOf(result)).toBe('ok');
      });
    }
  }

  it('real IncomingMessage headers from node:http, with the signature header sent twice', async () => {
    const body = sampleBodies.aidelly;
    const good = `sha256=${hmacHex(SECRET, body)}`;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void verify({ vendor: 'aidelly', body: Buffer.concat(chunks), headers: req.headers, secret: SECRET }).then((r) => {
          res.end(JSON.stringify({ code: codeOf(r), raw: req.headers['aidelly-signature'] }));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<string>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/hooks', headers: { 'Aidelly-Signature': ['sha256=00', good], 'Content-Type': 'application/json' } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end(body);
      });
      // Node joins repeated unknown headers with ", ": one header value, two candidates.
      expect(JSON.parse(answer)).toEqual({ code: 'ok', raw: `sha256=00, ${good}` });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('missing, empty and duplicated headers', () => {
  for (const vendor of builtIns) {
    const body = sampleBodies[vendor];
    const header = signatureHeaderOf[vendor];
    const signed = handSigned(vendor, body);
    const good = signed[header]!;
    const wrong = hmacHex('not-the-secret', body);

    it(`${vendor}: missing and empty signature headers are missing_signature (401) with a hint`, async () => {
      const rest = Object.fromEntries(Object.entries(signed).filter(([k]) => k !== header));
      for (const value of [undefined, '', '   ', [], [''], ['', ' ']]) {
        const result = await safeVerify({ vendor, body, headers: { ...rest, [header]: value }, secret: SECRET });
        expectCode(result, 'missing_signature', 401);
        expect(!result.ok && result.error.message).toBe(`The ${header} header is missing.`);
        expect(!result.ok && result.error.hint).toMatch(/proxy|secret/);
      }
      expectCode(await safeVerify({ vendor, body, headers: {}, secret: SECRET }), 'missing_signature', 401);
    });

    it(`${vendor}: repeated signature headers: any one valid candidate verifies`, async () => {
      for (const value of [[good, good], [wrong, good], ['garbage!', good], ['', good], [good, 'x'.repeat(100)]]) {
        expect(codeOf(await safeVerify({ vendor, body, headers: { ...signed, [header]: value }, secret: SECRET }))).toBe('ok');
      }
      const fetchHeaders = new Headers(signed);
      fetchHeaders.append(header, wrong);
      expect(codeOf(await safeVerify({ vendor, body, headers: fetchHeaders, secret: SECRET }))).toBe('ok');
    });

    it(`${vendor}: repeated headers with no valid candidate fail`, async () => {
      expectCode(await safeVerify({ vendor, body, headers: { ...signed, [header]: [wrong, wrong] }, secret: SECRET }), 'signature_mismatch', 401);
      expectCode(await safeVerify({ vendor, body, headers: { ...signed, [header]: ['garbage!', '%%%'] }, secret: SECRET }), 'malformed_signature', 401);
    });

    it(`${vendor}: garbage signature values are malformed_signature (401)`, async () => {
      for (const value of ['garbage!', 'sha256=', 'sha256=zz', '=====', '😀'.repeat(32), '\u0000'.repeat(64), 'a'.repeat(5000), `${good}${'a'.repeat(5000)}`]) {
        const result = await safeVerify({ vendor, body, headers: { ...signed, [header]: value }, secret: SECRET });
        expectCode(result, 'malformed_signature', 401);
      }
      const many = Array.from({ length: 17 }, () => good).join(',');
      expectCode(await safeVerify({ vendor, body, headers: { ...signed, [header]: many }, secret: SECRET }), 'malformed_signature', 401);
    });
  }

  it('autoposting: conflicting duplicate timestamps are malformed_timestamp; equal duplicates are fine', async () => {
    const body = sampleBodies.autoposting;
    const signed = handSigned('autoposting', body);
    const ts = signed['X-Autoposting-Timestamp']!;
    const conflicting = { ...signed, 'X-Autoposting-Timestamp': [ts, String(Number(ts) + 1)] };
    expectCode(await safeVerify({ vendor: 'autoposting', body, headers: conflicting, secret: SECRET }), 'malformed_timestamp', 401);
    const equal = { ...signed, 'X-Autoposting-Timestamp': [ts, ` ${ts}`] };
    expect(codeOf(await safeVerify({ vendor: 'autoposting', body, headers: equal, secret: SECRET }))).toBe('ok');
  });
});

describe('garbage header containers', () => {
  const body = sampleBodies.aidelly;
  const throwingGetter = Object.defineProperty({}, 'aidelly-signature', {
    enumerable: true,
    get() {
      throw new Error('getter exploded');
    },
  });
  const hostileProxy = new Proxy(
    {},
    {
      get() {
        throw new Error('get trap');
      },
      has() {
        throw new Error('has trap');
      },
      ownKeys() {
        throw new Error('ownKeys trap');
      },
      getOwnPropertyDescriptor() {
        throw new Error('descriptor trap');
      },
    },
  );
  const throwingHeaders = {
    get() {
      throw new Error('get exploded');
    },
    has() {
      return true;
    },
  };
  const cases: [string, unknown, string][] = [
    ['null', null, 'missing_signature'],
    ['undefined', undefined, 'missing_signature'],
    ['a number', 42, 'missing_signature'],
    ['a string', 'Aidelly-Signature: sha256=00', 'missing_signature'],
    ['an array of pairs', [['Aidelly-Signature', 'sha256=00']], 'missing_signature'],
    ['values of wrong types', { 'aidelly-signature': { value: 'x' }, other: null }, 'missing_signature'],
    ['a number as the value', { 'aidelly-signature': 12345 }, 'malformed_signature'],
    ['nested arrays', { 'aidelly-signature': [['sha256=00'], [null, undefined, 7]] }, 'malformed_signature'],
    ['symbol keys only', { [Symbol('aidelly-signature')]: 'x' }, 'missing_signature'],
    // A container that throws is not the sender's signature: answered 500 internal_error, never thrown.
    ['a getter that throws', throwingGetter, 'internal_error'],
    ['a proxy whose every trap throws', hostileProxy, 'internal_error'],
    ['a Headers look-alike whose get throws', throwingHeaders, 'missing_signature'],
    ['a Map', new Map([['aidelly-signature', 'sha256=00']]), 'malformed_signature'],
  ];
  for (const [name, headers, code] of cases) {
    const status = code === 'internal_error' ? 500 : 401;
    it(`${name}: resolves ${code} (${status})`, async () => {
      expectCode(await safeVerify({ vendor: 'aidelly', body, headers, secret: SECRET }), code, status);
    });
  }
});

describe('signatures of every wrong length', () => {
  const body = sampleBodies.timbrix;
  const encodings: [string, (b: Buffer) => string][] = [
    ['hex', (b) => b.toString('hex')],
    ['upper-case hex', (b) => b.toString('hex').toUpperCase()],
    ['base64', (b) => b.toString('base64')],
    ['base64url', (b) => b.toString('base64url')],
    ['sha256= hex', (b) => `sha256=${b.toString('hex')}`],
    ['v1= base64', (b) => `v1=${b.toString('base64')}`],
  ];

  it('0..80 bytes in hex and base64, prefixed or not: never a throw, always 401, only 32 bytes reach the MAC check', async () => {
    let checked = 0;
    for (let n = 0; n <= 80; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 255));
      for (const [name, encode] of encodings) {
        const value = encode(bytes);
        const token = value.replace(/^(sha256|v1)=/, '');
        const result = await safeVerify({ vendor: 'timbrix', body, headers: { 'X-Webhook-Signature': value }, secret: SECRET });
        const expected =
          n === 0 && token === value
            ? 'missing_signature'
            : n === 32 || /^[0-9a-f]{64}$/i.test(token)
              ? 'signature_mismatch'
              : 'malformed_signature';
        expect(codeOf(result), `${n} bytes, ${name}`).toBe(expected);
        expect(!result.ok && result.error.status, `${n} bytes, ${name}`).toBe(401);
        checked++;
      }
    }
    expect(checked).toBe(81 * encodings.length);
  });

  it('the right MAC truncated or extended by any number of bytes is rejected', async () => {
    const mac = hmacBytes(SECRET, body);
    for (let n = 0; n <= 80; n++) {
      if (n === 32) continue;
      const bytes = Buffer.alloc(n);
      mac.copy(bytes, 0, 0, Math.min(n, 32));
      const result = await safeVerify({ vendor: 'timbrix', body, headers: { 'X-Webhook-Signature': bytes.toString('hex') }, secret: SECRET });
      expect(codeOf(result), `${n} bytes`).toBe(n === 0 ? 'missing_signature' : 'malformed_signature');
    }
  });
});

describe('bodies', () => {
  const vendor = 'audenci';
  const signedFor = (bytes: string | Uint8Array) => ({ 'X-Audenci-Signature': hmacHex(SECRET, bytes) });

  it('non-UTF-8 bytes, correctly signed, are invalid_json (400) on both crypto ports', async () => {
    for (const bytes of [
      new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]),
      new Uint8Array([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
      new Uint8Array(Buffer.from('{"event":"post.created","data":{"name":"café"}}', 'latin1')),
      new Uint8Array(Buffer.from('{"event":"post.created"}', 'utf16le')),
      new Uint8Array([0xed, 0xa0, 0x80]),
    ]) {
      const result = await safeVerify({ vendor, body: bytes, headers: signedFor(bytes), secret: SECRET });
      expectCode(result, 'invalid_json', 400);
    }
  });

  it('non-UTF-8 bytes with a wrong signature are signature_mismatch: authenticity is judged before content', async () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0xfd]);
    expectCode(await safeVerify({ vendor, body: bytes, headers: signedFor('other'), secret: SECRET }), 'signature_mismatch', 401);
  });

  it.each([
    ['plain text', 'hello', 'invalid_json'],
    ['empty', '', 'invalid_json'],
    ['truncated JSON', sampleBodies.audenci.slice(0, -1), 'invalid_json'],
    ['NDJSON', '{"event":"post.created"}\n{"event":"post.failed"}', 'invalid_json'],
    ['form-encoded', 'event=post.created', 'invalid_json'],
    ['a BOM before the JSON', `\uFEFF${sampleBodies.audenci}`, 'invalid_json'],
    ['JSON null', 'null', 'invalid_payload'],
    ['JSON number', '42', 'invalid_payload'],
    ['JSON string', '"post.published"', 'invalid_payload'],
    ['JSON true', 'true', 'invalid_payload'],
    ['JSON array of events', `[${sampleBodies.audenci}]`, 'invalid_payload'],
    ['object without event', '{"data":{}}', 'invalid_payload'],
    ['event is null', '{"event":null}', 'invalid_payload'],
    ['event is an object', '{"event":{"name":"post.created"}}', 'invalid_payload'],
    ['event is empty', '{"event":""}', 'invalid_payload'],
  ])('%s, correctly signed: %s (400)', async (_name, text, code) => {
    const result = await safeVerify({ vendor, body: text, headers: signedFor(text), secret: SECRET });
    expectCode(result, code, 400);
    if (code === 'invalid_payload' && text.startsWith('{')) expect(!result.ok && result.error.message).toMatch(/no event type \(event\)/);
  });

  it('a 10 MB body is payload_too_large (413) before any signature work, as string or bytes', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const bigBytes = new Uint8Array(10 * 1024 * 1024);
    for (const b of [big, bigBytes]) {
      // No signature header at all: the size is judged first, so no MAC is computed.
      expectCode(await safeVerify({ vendor, body: b, headers: {}, secret: SECRET }), 'payload_too_large', 413);
      expectCode(await safeVerify({ vendor, body: b, headers: signedFor(b), secret: SECRET }), 'payload_too_large', 413);
    }
  });

  it('the limit counts UTF-8 bytes, not string length', async () => {
    const text = '€'.repeat(400_000); // 400 000 chars, 1 200 000 bytes > 1 MiB
    expectCode(await safeVerify({ vendor, body: text, headers: {}, secret: SECRET }), 'payload_too_large', 413);
  });

  it('a body of exactly maxBodyBytes passes; one byte more is 413', async () => {
    const base = '{"event":"post.created","pad":"","data":{}}';
    const max = 4096;
    const exact = base.replace('"pad":""', `"pad":"${'p'.repeat(max - base.length)}"`);
    expect(Buffer.byteLength(exact)).toBe(max);
    expect(codeOf(await safeVerify({ vendor, body: exact, headers: signedFor(exact), secret: SECRET, maxBodyBytes: max }))).toBe('ok');
    const over = exact.replace('"pad":"', '"pad":"p');
    expectCode(await safeVerify({ vendor, body: over, headers: signedFor(over), secret: SECRET, maxBodyBytes: max }), 'payload_too_large', 413);
  });

  it('a 10 MB body verifies when maxBodyBytes allows it', async () => {
    const text = JSON.stringify({ event: 'analytics.updated', data: { blob: 'y'.repeat(10 * 1024 * 1024) } });
    const result = await safeVerify({ vendor, body: text, headers: signedFor(text), secret: SECRET, maxBodyBytes: 16 * 1024 * 1024 });
    expect(codeOf(result)).toBe('ok');
  });

  it.each([
    ['a parsed object', { event: 'post.published', data: {} }, 'object'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a number', 42, 'number'],
    ['a boolean', true, 'boolean'],
    ['an array', [1, 2, 3], 'object'],
    ['a DataView', new DataView(new ArrayBuffer(2)), 'object'],
    ['a Uint16Array', new Uint16Array(2), 'object'],
  ])('body as %s is body_not_raw (500) with a hint naming the fix', async (_name, body, got) => {
    const result = await safeVerify({ vendor, body, headers: signedFor('{}'), secret: SECRET });
    expectCode(result, 'body_not_raw', 500);
    if (!result.ok) {
      expect(result.error.hint).toContain(`Got ${got}`);
      expect(result.error.hint).toMatch(/before any JSON body parser/);
      expect(result.error.hint).toMatch(/rawBody/);
    }
  });

  it('__proto__ and constructor.prototype keys are stripped; nothing is polluted', async () => {
    const text =
      '{"event":"post.created","__proto__":{"polluted":true},"data":{"constructor":{"prototype":{"polluted":true}},"nested":[{"__proto__":{"x":1},"keep":1}],"constructorName":"ok"}}';
    const result = await safeVerify({ vendor, body: text, headers: signedFor(text), secret: SECRET });
    expect(codeOf(result)).toBe('ok');
    if (!result.ok) return;
    const payload = result.event.payload as Record<string, unknown>;
    const data = payload['data'] as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(payload, '__proto__')).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(data, 'constructor')).toBe(false);
    expect((data['nested'] as Record<string, unknown>[])[0]).toEqual({ keep: 1 });
    expect(Object.prototype.hasOwnProperty.call((data['nested'] as object[])[0], '__proto__')).toBe(false);
    expect(data['constructorName']).toBe('ok');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    // The raw body is untouched: it is what was signed.
    expect(result.event.raw).toBe(text);
  });

  it('a plain `constructor` string value is kept (only prototype-carrying objects go)', async () => {
    const text = '{"event":"post.created","data":{"constructor":"Foo"}}';
    const result = await safeVerify({ vendor, body: text, headers: signedFor(text), secret: SECRET });
    expect(result.ok && (result.event.payload.data as Record<string, unknown>)['constructor']).toBe('Foo');
  });

  it.each([
    ['arrays', (d: number) => `{"event":"post.created","data":${'['.repeat(d)}${']'.repeat(d)}}`],
    ['objects', (d: number) => `{"event":"post.created","data":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}`],
    ['objects with a constructor key (prototype strip walks all of it)', (d: number) => `{"event":"post.created","data":${'{"constructor":'.repeat(d)}1${'}'.repeat(d)}}`],
  ])('100 000 levels of nested %s: no throw', async (_name, make) => {
    const text = make(100_000);
    const result = await safeVerify({ vendor, body: text, headers: signedFor(text), secret: SECRET, maxBodyBytes: 4 * 1024 * 1024 });
    expect(codeOf(result)).toBe('ok');
  });
});

describe('setup errors throw a TypeError naming the fix', () => {
  const body = sampleBodies.aidelly;
  const headers = handSigned('aidelly', body);
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['no secret', { vendor: 'aidelly' }, /`secret` is required: the signing secret from the vendor dashboard/],
    ['secret undefined from an unset env var', { vendor: 'aidelly', secret: process.env['HOOKPROOF_SURELY_UNSET'] }, /`secret` is required/],
    ['empty secret', { vendor: 'aidelly', secret: '' }, /`secret` is an empty string: pass the signing secret as a non-empty string \(is the environment variable set\?\)/],
    ['empty secret list', { vendor: 'aidelly', secret: [] }, /`secret` is required/],
    ['an empty secret in the rotation list', { vendor: 'aidelly', secret: ['ok', ''] }, /`secret`\[1\] is an empty string/],
    ['a number as secret', { vendor: 'aidelly', secret: 42 }, /`secret` is required/],
    ['unknown vendor', { vendor: 'stripe', secret: SECRET }, /unknown vendor "stripe"\. Use one of 'autoposting', 'aidelly', 'audenci', 'timbrix', 'standard-webhooks', or pass a profile: a recipe from '@hookproof\/core\/recipes' \(stripe, github, slack, shopify, paddle, zoom\) or your own from defineVendor\(\)/],
    ['vendor id in the wrong case', { vendor: 'Aidelly', secret: SECRET }, /unknown vendor "Aidelly"/],
    ['no vendor', { secret: SECRET }, /`vendor` is required/],
    ['allowUnsigned for a vendor that always signs', { vendor: 'aidelly', secret: SECRET, allowUnsigned: true }, /allowUnsigned is only for vendors that send unsigned deliveries \(autoposting\); Aidelly always signs, so remove the option/],
    ['negative maxBodyBytes', { vendor: 'aidelly', secret: SECRET, maxBodyBytes: -1 }, /`maxBodyBytes` must be a positive integer/],
    ['empty required header', { vendor: 'audenci', secret: SECRET, requiredHeaders: { authorization: '' } }, /requiredHeaders\["authorization"\] must be a non-empty string/],
  ];
  for (const [name, options, message] of cases) {
    it(name, () => {
      let thrown: unknown;
      try {
        void verify({ ...options, body, headers } as unknown as VerifyInput);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expect((thrown as Error).message).toMatch(/^@hookproof: /);
      expect((thrown as Error).message).toMatch(message);
    });
  }

  it('verify() without an options object', () => {
    expect(() => verify(undefined as unknown as VerifyInput)).toThrow(/verify\(\) takes one object/);
  });

  it('allowUnsigned needs no secret for autoposting, and an unsigned delivery then verifies', async () => {
    const text = sampleBodies.autoposting;
    const result = await safeVerify({ vendor: 'autoposting', body: text, headers: {}, allowUnsigned: true } as never);
    expect(result.ok && String(result.event.type)).toBe(sampleType.autoposting);
    expect(result.ok && result.secretIndex).toBe(-1);
    const emptyList = await safeVerify({ vendor: 'autoposting', body: text, headers: {}, allowUnsigned: true, secret: [] });
    expect(emptyList.ok).toBe(true);
    expect(() => verify({ vendor: 'autoposting', body: text, headers: {}, secret: [] })).toThrow(/`secret` is required/);
  });
});
