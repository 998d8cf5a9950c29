// THE conformance table: one list of (adapter options, raw request, expected status and
// JSON body) that every runtime adapter passes on every supported major. Built from
// core's copy of the shared vectors plus cases for what only an HTTP adapter sees
// (raw bytes, header lines, chunking, body limits, prior parsers).
import { createHash } from 'node:crypto';
import type { VendorChoice, WebhookErrorCode, WebhookOptions } from '@hookproof/core';
import type { PriorParser, WireRequest } from './driver.js';
import { allVendors, hmacHex, NOW_MS, NOW_S, sample, SECRET, signatureHeaderOf, signedHeaders, vectors, type Vendor } from './signing.js';

export type Expectation =
  /** Verified and passed on: the route answered `{ via: 'next', vendor, type, id }` (that `id`, where given). */
  | { readonly status: 200; readonly vendor: string; readonly type: string; readonly id?: string }
  /** Answered by the adapter: `{ error: code, message }` (or `body` exactly, when onError replaced it). */
  | { readonly status: number; readonly error: WebhookErrorCode | undefined; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> };

export interface ConformanceCase {
  readonly name: string;
  readonly webhook: WebhookOptions<VendorChoice>;
  readonly prior?: PriorParser;
  readonly request: WireRequest;
  readonly expect: Expectation;
  /** Strings that must never appear in a response: secrets, signatures sent or expected. */
  readonly hidden: readonly string[];
}

const now = () => NOW_MS;
const json = 'application/json';
const MiB = 1024 * 1024;

function request(body: string | Buffer, headers: readonly (readonly [string, string])[], extra: Partial<WireRequest> = {}): WireRequest {
  return { body: typeof body === 'string' ? Buffer.from(body) : body, headers, ...extra };
}

/** A correctly signed delivery of `vendor`, content type JSON unless given. */
function signed(vendor: Vendor, body: string | Buffer = sample[vendor].body, contentType: string | undefined = json, secret = SECRET): WireRequest {
  const type: [string, string][] = contentType === undefined ? [] : [['Content-Type', contentType]];
  return request(body, [...type, ...signedHeaders(vendor, body, secret)]);
}

function hiddenFor(req: WireRequest, secrets: readonly string[] = [SECRET]): string[] {
  const sigs = req.headers.filter(([name]) => /signature/i.test(name)).map(([, value]) => value);
  const expected = secrets.flatMap((s) => [hmacHex(s, req.body), hmacHex(s, Buffer.concat([Buffer.from(`${NOW_S}.`), req.body]))]);
  // Not even part of a MAC: an id once was its first 16 bytes (security review, item 2).
  const prefixes = [...sigs.map((s) => s.replace(/^sha256=/, '')), ...expected].filter((s) => s.length >= 16).map((s) => s.slice(0, 16))
    // A placeholder such as 000… is no MAC (and shows up in ids like evt_01JH000…).
    .filter((p) => new Set(p).size > 2);
  return [...secrets, ...sigs.filter((s) => s.length >= 16), ...expected, ...prefixes];
}

/** The id of an event whose body carries none: `sha256:` + 32 hex digits of SHA-256 over the raw body. */
function bodyDigest(body: string): string {
  return `sha256:${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
}

function ok(vendor: string, type: string, id?: string): Expectation {
  return id === undefined ? { status: 200, vendor, type } : { status: 200, vendor, type, id };
}

function fails(status: number, error: WebhookErrorCode | undefined): Expectation {
  return { status, error };
}

function vectorCases(): ConformanceCase[] {
  return vectors.map((v) => {
    const req = request(v.body, Object.entries(v.headers));
    const secrets = [v.secret].flat();
    // allowUnsigned with a secret is refused at setup (a secret makes the signature
    // mandatory): an unsigned vector is what a webhook without a secret sends.
    const secret = v.options?.allowUnsigned === true ? [] : v.secret;
    return {
      name: `vector ${v.vendor}: ${v.name}`,
      webhook: { vendor: v.vendor, secret, now: () => v.nowMs, ...v.options },
      request: req,
      expect: v.expect.ok ? ok(v.vendor, v.expect.type!) : fails(v.expect.status ?? 401, v.expect.code as WebhookErrorCode | undefined),
      hidden: hiddenFor(req, secrets),
    };
  });
}

function errorCases(): ConformanceCase[] {
  const base = (vendor: Vendor) => ({ vendor, secret: SECRET, now }) as const;
  const aidelly = sample.aidelly.body;
  const autoposting = sample.autoposting.body;
  const ts = String(NOW_S);
  const cases: Omit<ConformanceCase, 'hidden'>[] = [
    {
      name: 'missing_signature: no signature header',
      webhook: base('aidelly'),
      request: request(aidelly, [['Content-Type', json]]),
      expect: fails(401, 'missing_signature'),
    },
    {
      name: 'missing_timestamp: Autoposting signature without its timestamp',
      webhook: base('autoposting'),
      request: request(autoposting, [['Content-Type', json], ['X-Autoposting-Signature', hmacHex(SECRET, `${ts}.${autoposting}`)]]),
      expect: fails(401, 'missing_timestamp'),
    },
    {
      name: 'malformed_signature: not hex or base64',
      webhook: base('timbrix'),
      request: request(sample.timbrix.body, [['Content-Type', json], ['X-Webhook-Signature', 'not a signature!']]),
      expect: fails(401, 'malformed_signature'),
    },
    {
      name: 'malformed_timestamp: not a time',
      webhook: base('autoposting'),
      request: request(autoposting, [['Content-Type', json], ['X-Autoposting-Signature', hmacHex(SECRET, `yesterday.${autoposting}`)], ['X-Autoposting-Timestamp', 'yesterday']]),
      expect: fails(401, 'malformed_timestamp'),
    },
    {
      name: 'signature_mismatch: signed with another secret',
      webhook: base('audenci'),
      request: signed('audenci', sample.audenci.body, json, 'whsec_another'),
      expect: fails(401, 'signature_mismatch'),
    },
    {
      name: 'timestamp_out_of_tolerance: signed 10 minutes ago',
      webhook: base('autoposting'),
      request: request(autoposting, [['Content-Type', json], ...signedHeaders('autoposting', autoposting, SECRET, String(NOW_S - 600))]),
      expect: fails(401, 'timestamp_out_of_tolerance'),
    },
    {
      name: 'invalid_auth_header: Audenci custom Authorization header wrong',
      webhook: { ...base('audenci'), requiredHeaders: { authorization: 'Bearer s3cr3t-token' } },
      request: request(sample.audenci.body, [['Content-Type', json], ['Authorization', 'Bearer guess'], ...signedHeaders('audenci', sample.audenci.body)]),
      expect: fails(401, 'invalid_auth_header'),
    },
    {
      name: 'requiredHeaders: Audenci custom Authorization header right',
      webhook: { ...base('audenci'), requiredHeaders: { authorization: 'Bearer s3cr3t-token' } },
      request: request(sample.audenci.body, [['Content-Type', json], ['Authorization', 'Bearer s3cr3t-token'], ...signedHeaders('audenci', sample.audenci.body)]),
      expect: ok('audenci', 'post.published'),
    },
    {
      name: 'invalid_json: correctly signed, not JSON',
      webhook: base('aidelly'),
      request: signed('aidelly', 'event=post.published'),
      expect: fails(400, 'invalid_json'),
    },
    {
      name: 'invalid_payload: correctly signed JSON array',
      webhook: base('timbrix'),
      request: signed('timbrix', '[1,2,3]'),
      expect: fails(400, 'invalid_payload'),
    },
    {
      name: 'payload_too_large: 2 MB body with content-length',
      webhook: base('aidelly'),
      request: signed('aidelly', Buffer.alloc(2 * MiB, 0x20)),
      expect: fails(413, 'payload_too_large'),
    },
    {
      name: 'payload_too_large: 2 MB chunked body (no content-length)',
      webhook: base('aidelly'),
      request: { ...signed('aidelly', Buffer.alloc(2 * MiB, 0x20)), chunked: true },
      expect: fails(413, 'payload_too_large'),
    },
    {
      name: 'maxBodyBytes: one byte over a custom limit is 413',
      webhook: { ...base('timbrix'), maxBodyBytes: sample.timbrix.body.length - 1 },
      request: signed('timbrix'),
      expect: fails(413, 'payload_too_large'),
    },
    {
      name: 'maxBodyBytes: exactly at a custom limit passes',
      webhook: { ...base('timbrix'), maxBodyBytes: sample.timbrix.body.length },
      request: signed('timbrix'),
      expect: ok('timbrix', 'member.added'),
    },
    {
      name: 'secret_unavailable: the secret lookup fails (503, the vendor retries)',
      webhook: {
        vendor: 'aidelly',
        secret: async () => {
          throw new Error('vault sealed');
        },
      },
      request: signed('aidelly'),
      expect: fails(503, 'secret_unavailable'),
    },
    {
      name: 'body_not_raw: a JSON parser ran first and kept no raw bytes',
      webhook: base('aidelly'),
      prior: 'json',
      request: signed('aidelly'),
      expect: fails(500, 'body_not_raw'),
    },
  ];
  return cases.map((c) => ({ ...c, hidden: hiddenFor(c.request) }));
}

function wireCases(): ConformanceCase[] {
  const base = (vendor: Vendor) => ({ vendor, secret: SECRET, now }) as const;
  const aidelly = sample.aidelly.body;
  const validSig = `sha256=${hmacHex(SECRET, aidelly)}`;
  const wrongSig = `sha256=${hmacHex('whsec_wrong', aidelly)}`;
  const ap = sample.autoposting.body;
  // Multibyte UTF-8 and JSON escapes: any re-encoding of the body breaks the signature.
  const unicode = '{"event":"post.published","workspace_id":"wörk","brand_id":"b","data":{"post_id":"p","caption":"Café 🎉 日本","link":"https:\\/\\/x.test"},"created_at":"2026-02-18T17:30:02Z"}';
  const cases: Omit<ConformanceCase, 'hidden'>[] = [
    {
      name: 'upper-case header names',
      webhook: base('aidelly'),
      request: request(aidelly, [['CONTENT-TYPE', json], ['AIDELLY-SIGNATURE', validSig]]),
      expect: ok('aidelly', 'post.published'),
    },
    {
      name: 'signature header sent twice, one line valid',
      webhook: base('aidelly'),
      request: request(aidelly, [['Content-Type', json], ['Aidelly-Signature', wrongSig], ['aidelly-signature', validSig]]),
      expect: ok('aidelly', 'post.published'),
    },
    {
      name: 'signature header sent twice, neither valid',
      webhook: base('aidelly'),
      request: request(aidelly, [['Content-Type', json], ['Aidelly-Signature', wrongSig], ['Aidelly-Signature', wrongSig.replace('sha256=', '')]]),
      expect: fails(401, 'signature_mismatch'),
    },
    {
      name: 'timestamp header sent twice with different values',
      webhook: base('autoposting'),
      request: request(ap, [['Content-Type', json], ...signedHeaders('autoposting', ap), ['X-Autoposting-Timestamp', String(NOW_S - 1)]]),
      expect: fails(401, 'malformed_timestamp'),
    },
    {
      name: 'chunked body (no content-length)',
      webhook: base('aidelly'),
      request: { ...signed('aidelly'), chunked: true },
      expect: ok('aidelly', 'post.published'),
    },
    {
      name: 'chunked 200 KB body',
      webhook: base('timbrix'),
      request: {
        ...signed('timbrix', JSON.stringify({ id: 'evt_big', event: 'member.added', data: { blob: 'x'.repeat(200 * 1024) } })),
        chunked: true,
      },
      expect: ok('timbrix', 'member.added'),
    },
    {
      name: 'wrong content type (text/plain) is still verified over the raw bytes',
      webhook: base('aidelly'),
      request: signed('aidelly', aidelly, 'text/plain'),
      expect: ok('aidelly', 'post.published'),
    },
    {
      name: 'form content type with a JSON body',
      webhook: base('timbrix'),
      request: signed('timbrix', sample.timbrix.body, 'application/x-www-form-urlencoded'),
      expect: ok('timbrix', 'member.added'),
    },
    {
      name: 'no content type',
      webhook: base('audenci'),
      request: signed('audenci', sample.audenci.body, undefined),
      expect: ok('audenci', 'post.published'),
    },
    {
      name: 'application/json; charset=utf-8',
      webhook: base('autoposting'),
      request: signed('autoposting', ap, 'application/json; charset=utf-8'),
      expect: ok('autoposting', 'post.published'),
    },
    {
      name: 'multibyte UTF-8 and \\/ escapes verified byte for byte',
      webhook: base('aidelly'),
      request: signed('aidelly', unicode),
      expect: ok('aidelly', 'post.published'),
    },
    {
      name: 'signed bytes that are not UTF-8',
      webhook: base('timbrix'),
      request: signed('timbrix', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
      expect: fails(400, 'invalid_json'),
    },
    {
      name: 'empty body, correctly signed',
      webhook: base('aidelly'),
      request: signed('aidelly', ''),
      expect: fails(400, 'invalid_json'),
    },
    {
      name: 'empty body, unsigned',
      webhook: base('aidelly'),
      request: request('', []),
      expect: fails(401, 'missing_signature'),
    },
    {
      name: 'empty body, chunked, correctly signed',
      webhook: base('timbrix'),
      request: { ...signed('timbrix', ''), chunked: true },
      expect: fails(400, 'invalid_json'),
    },
  ];
  return cases.map((c) => ({ ...c, hidden: hiddenFor(c.request) }));
}

// 'auto' takes a secret per vendor: one secret shared by vendors that sign the same
// content is refused at setup (a capture from one would verify as the other).
const perVendor: Record<Vendor, string> = { autoposting: 'whsec_ap', aidelly: 'whsec_a', audenci: 'whsec_au', timbrix: 'whsec_t' };
const NEW = 'whsec_rotated_new';
const noIdAutoposting = JSON.stringify({ event: 'post.published', timestamp: '2026-01-01T00:00:00.000Z', orgId: 'org_1', data: { postId: 'p2' } });
const noEventAutoposting = JSON.stringify({ id: 'evt_no_event', timestamp: '2026-01-01T00:00:00.000Z', orgId: 'org_1', data: {} });

function optionCases(): ConformanceCase[] {
  const cases: Omit<ConformanceCase, 'hidden'>[] = [
    ...allVendors.map((vendor) => ({
      name: `vendor 'auto' detects ${vendor}`,
      webhook: { vendor: 'auto' as const, secret: perVendor, now },
      request: signed(vendor, sample[vendor].body, json, perVendor[vendor]),
      expect: ok(vendor, sample[vendor].type),
    })),
    ...(['aidelly', 'audenci'] as const).flatMap((vendor) =>
      [NEW, SECRET].map((signer) => ({
        name: `rotation: ${vendor} signed with the ${signer === NEW ? 'new' : 'old'} secret gets the body's SHA-256 as its id`,
        webhook: { vendor, secret: [NEW, SECRET], now },
        request: signed(vendor, sample[vendor].body, json, signer),
        expect: ok(vendor, sample[vendor].type, bodyDigest(sample[vendor].body)),
      })),
    ),
    {
      name: 'Autoposting: no id in the signed body: the id is its digest, never the unsigned X-Autoposting-Delivery header',
      webhook: { vendor: 'autoposting', secret: SECRET, now },
      request: request(noIdAutoposting, [['Content-Type', json], ['X-Autoposting-Delivery', 'dlv_made_up'], ...signedHeaders('autoposting', noIdAutoposting)]),
      expect: ok('autoposting', 'post.published', bodyDigest(noIdAutoposting)),
    },
    {
      name: 'Autoposting: the event name only in the unsigned X-Autoposting-Event header is 400 invalid_payload',
      webhook: { vendor: 'autoposting', secret: SECRET, now },
      request: request(noEventAutoposting, [['Content-Type', json], ['X-Autoposting-Event', 'token.expired'], ...signedHeaders('autoposting', noEventAutoposting)]),
      expect: fails(400, 'invalid_payload'),
    },
    {
      name: 'secret_unavailable: a secret function that never answers is 503 after secretTimeoutMs',
      webhook: { vendor: 'aidelly', secret: () => new Promise<string>(() => undefined), secretTimeoutMs: 30, now },
      request: signed('aidelly'),
      expect: fails(503, 'secret_unavailable'),
    },
    {
      name: "vendor 'auto' with a secret map: each vendor its own secret",
      webhook: { vendor: 'auto', secret: { aidelly: 'whsec_a', timbrix: 'whsec_t' }, now },
      request: signed('timbrix', sample.timbrix.body, json, 'whsec_t'),
      expect: ok('timbrix', 'member.added'),
    },
    {
      name: "vendor 'auto' with a secret map: an unmapped vendor is not accepted",
      webhook: { vendor: 'auto', secret: { aidelly: 'whsec_a', timbrix: 'whsec_t' }, now },
      request: signed('audenci', sample.audenci.body, json, 'whsec_a'),
      expect: fails(401, 'missing_signature'),
    },
    {
      name: 'a list of vendors picks by header',
      webhook: { vendor: ['aidelly', 'autoposting'], secret: SECRET, now },
      request: signed('autoposting'),
      expect: ok('autoposting', 'post.published'),
    },
    {
      name: 'an async secret function (secret manager)',
      webhook: { vendor: 'audenci', secret: async (vendor: string) => (vendor === 'audenci' ? SECRET : 'nope'), now },
      request: signed('audenci'),
      expect: ok('audenci', 'post.published'),
    },
    {
      name: 'onError replaces status, body and headers',
      webhook: {
        vendor: 'aidelly',
        secret: SECRET,
        onError: (error) => ({ status: 400, body: { rejected: error.code }, headers: { 'x-webhook-error': error.code } }),
      },
      request: signed('aidelly', sample.aidelly.body, json, 'whsec_wrong'),
      expect: { status: 400, error: 'signature_mismatch', body: { rejected: 'signature_mismatch' }, headers: { 'x-webhook-error': 'signature_mismatch' } },
    },
    {
      name: 'allowIps: a sender outside the list is 403 before verification',
      webhook: { vendor: 'aidelly', secret: SECRET, now, allowIps: ['203.0.113.0/24'] },
      request: signed('aidelly'),
      expect: fails(403, 'forbidden_ip'),
    },
    {
      name: 'allowIps: the loopback sender in the list is verified',
      webhook: { vendor: 'aidelly', secret: SECRET, now, allowIps: ['127.0.0.0/8', '::1/128', '::ffff:127.0.0.1/128'] },
      request: signed('aidelly'),
      expect: ok('aidelly', 'post.published'),
    },
    {
      name: 'a compressed body (Content-Encoding: gzip) is 415: the signature covers the bytes as sent',
      webhook: { vendor: 'timbrix', secret: SECRET, now },
      request: request(sample.timbrix.body, [['Content-Type', json], ['Content-Encoding', 'gzip'], ...signedHeaders('timbrix', sample.timbrix.body)]),
      expect: fails(415, 'unsupported_encoding'),
    },
    {
      name: 'onError sees body-read failures too (413)',
      webhook: { vendor: 'aidelly', secret: SECRET, maxBodyBytes: 10, onError: (error) => ({ headers: { 'x-webhook-error': error.code } }) },
      request: signed('aidelly'),
      expect: { status: 413, error: 'payload_too_large', headers: { 'x-webhook-error': 'payload_too_large' } },
    },
  ];
  return cases.map((c) => ({ ...c, hidden: hiddenFor(c.request, [SECRET, NEW, ...Object.values(perVendor)]) }));
}

function priorParserCases(): ConformanceCase[] {
  const base = (vendor: Vendor) => ({ vendor, secret: SECRET, now }) as const;
  const unicode = '{"id":"evt_u","event":"member.added","data":{"name":"Zoë 🎉","note":"\\u003ctag\\u003e"}}';
  const cases: Omit<ConformanceCase, 'hidden'>[] = [
    {
      name: 'prior JSON parser keeping the raw bytes: verified',
      webhook: base('aidelly'),
      prior: 'json-keep-raw',
      request: signed('aidelly'),
      expect: ok('aidelly', 'post.published'),
    },
    {
      name: 'prior JSON parser keeping the raw bytes: multibyte and \\u escapes still verify',
      webhook: base('timbrix'),
      prior: 'json-keep-raw',
      request: signed('timbrix', unicode),
      expect: ok('timbrix', 'member.added'),
    },
    {
      name: 'prior JSON parser keeping the raw bytes: a tampered body is still refused',
      webhook: base('aidelly'),
      prior: 'json-keep-raw',
      request: request(sample.aidelly.body.replace('linkedin', 'linkedln'), [['Content-Type', json], ...signedHeaders('aidelly', sample.aidelly.body)]),
      expect: fails(401, 'signature_mismatch'),
    },
    {
      name: 'prior JSON parser keeping the raw bytes: Autoposting timestamp window still applies',
      webhook: base('autoposting'),
      prior: 'json-keep-raw',
      request: request(sample.autoposting.body, [['Content-Type', json], ...signedHeaders('autoposting', sample.autoposting.body, SECRET, String(NOW_S - 301))]),
      expect: fails(401, 'timestamp_out_of_tolerance'),
    },
    {
      name: 'prior JSON parser without raw bytes: body_not_raw names the fix',
      webhook: base('timbrix'),
      prior: 'json',
      request: signed('timbrix'),
      expect: fails(500, 'body_not_raw'),
    },
    {
      name: 'prior JSON parser skips text/plain: the stream is still raw and verified',
      webhook: base('timbrix'),
      prior: 'json',
      request: signed('timbrix', sample.timbrix.body, 'text/plain'),
      expect: ok('timbrix', 'member.added'),
    },
  ];
  return cases.map((c) => ({ ...c, hidden: hiddenFor(c.request) }));
}

export const conformanceCases: readonly ConformanceCase[] = [...vectorCases(), ...errorCases(), ...wireCases(), ...optionCases(), ...priorParserCases()];

export { signatureHeaderOf };
