import { cryptoPort } from './crypto-node.js';
import { base64ToBytes, decodeSignatures, MAC_BYTES } from './encoding.js';
import type { WebhookErrorCode } from './errors.js';
import { headerValues, singleHeader, type HeadersLike } from './headers.js';
import { resolveVendor } from './resolve.js';
import type { VendorRef } from './types.js';
import { vendors, vendorIds } from './vendors/index.js';
import { verify, type VerifyInput } from './verify.js';
import { detectVendor } from './detect.js';

/** The mistakes `diagnose()` recognises, from a consumed body to a wrong secret. */
export type DiagnosisCause =
  | 'body_not_raw'
  | 'wrong_vendor'
  | 'missing_signature'
  | 'signature_encoding'
  | 'body_reserialized'
  | 'trailing_newline'
  | 'byte_order_mark'
  | 'secret_prefix'
  | 'secret_encoding'
  | 'timestamp_not_signed'
  | 'clock_skew'
  | 'wrong_secret'
  | 'not_json';

/** What `diagnose()` resolves: the verdict, the most likely cause and a one-sentence fix. */
export interface Diagnosis {
  readonly ok: boolean;
  /** The code `verify` returned. */
  readonly code: WebhookErrorCode | undefined;
  /** The most likely cause, if one was found. */
  readonly cause: DiagnosisCause | undefined;
  /** One sentence for a developer: what went wrong and how to fix it. Never contains secrets or MACs. */
  readonly summary: string;
  /** Every cause that fits, most likely first. */
  readonly findings: readonly { readonly cause: DiagnosisCause; readonly message: string }[];
}

type Finding = { cause: DiagnosisCause; message: string };

const encoder = new TextEncoder();

function asText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  return undefined;
}

const asciiEscape = (json: string): string =>
  json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * The texts a sender may have signed for the same JSON value. A body re-serialised by
 * the receiver (`JSON.stringify(req.body)`) matches one of them if the sender wrote
 * JSON the way JavaScript (compact or indented), Python's `json.dumps` (", " and ": "
 * separators, non-ASCII escaped) or PHP's `json_encode` (escaped "/" and non-ASCII) do.
 */
function senderSerialisations(value: unknown): string[] {
  const compact = JSON.stringify(value);
  // One-space indentation puts every separator on its own line, and JSON strings hold
  // no raw newlines, so collapsing those lines gives Python's default layout.
  const python = JSON.stringify(value, null, 1)
    .replace(/([[{])\n +/g, '$1')
    .replace(/\n +([\]}])/g, '$1')
    .replace(/\n([\]}])/g, '$1')
    .replace(/,\n +/g, ', ');
  return [
    compact,
    JSON.stringify(value, null, 2),
    JSON.stringify(value, null, 4),
    asciiEscape(python),
    python,
    asciiEscape(compact).replace(/\//g, '\\/'),
    compact.replace(/\//g, '\\/'),
    asciiEscape(compact),
  ];
}

/**
 * Explains why a delivery fails verification: tries the usual mistakes (body
 * re-serialised by a parser, trailing newline, secret with or without `whsec_`,
 * base64 secrets, wrong encoding, clock skew, a parser that consumed the body) and
 * reports which one makes the signature match. Never throws on peer input.
 */
export async function diagnose<V extends VendorRef>(input: VerifyInput<V>): Promise<Diagnosis> {
  const result = await verify(input);
  if (result.ok) {
    return { ok: true, code: undefined, cause: undefined, summary: 'The signature is valid.', findings: [] };
  }
  const code = result.error.code;
  const findings: Finding[] = [];
  const done = (): Diagnosis => ({
    ok: false,
    code,
    cause: findings[0]?.cause,
    summary: findings[0]?.message ?? `${result.error.message} No common mistake explains it: most likely the secret is wrong.`,
    findings,
  });
  const profile = resolveVendor(input.vendor);
  const text = asText(input.body);

  if (code === 'body_not_raw' || text === undefined) {
    findings.push({ cause: 'body_not_raw', message: 'A body parser consumed the body before verification: pass the raw bytes (see the raw-body section of the docs).' });
    return done();
  }
  if (code === 'missing_signature') {
    const other = detectVendor(input.headers);
    if (other !== undefined && other !== profile.id) {
      findings.push({ cause: 'wrong_vendor', message: `The request carries ${vendors[other].name}'s signature header (${vendors[other].signatureHeader}), not ${profile.name}'s: check the vendor option for this route.` });
    } else {
      findings.push({ cause: 'missing_signature', message: `No ${profile.signatureHeader} header: a proxy may strip it, or the webhook has no secret configured at ${profile.name}.` });
    }
    return done();
  }
  if (code === 'timestamp_out_of_tolerance') {
    findings.push({ cause: 'clock_skew', message: `${result.error.message} Either a replay, or this server's clock is off: check NTP, or widen toleranceSec.` });
    return done();
  }
  if (code === 'invalid_json' || code === 'invalid_payload') {
    findings.push({ cause: 'not_json', message: `The signature is valid, but ${result.error.message.charAt(0).toLowerCase()}${result.error.message.slice(1)}` });
    return done();
  }

  const values = headerValues(input.headers, profile.signatureHeader);
  const decoded = decodeSignatures(values);
  const tokens = values.flatMap((v) => v.split(/[\s,]+/)).filter((t) => t !== '');
  if (!decoded.ok) {
    const lengths = tokens.map((t) => base64ToBytes(t.replace(/^(?:sha256|v1)[=:]/i, ''))?.length ?? (/^[0-9a-f]+$/i.test(t) ? t.length / 2 : -1));
    if (tokens.some((t) => /^[0-9a-f]{40}$/i.test(t.replace(/^sha1=/i, '')))) {
      findings.push({ cause: 'signature_encoding', message: 'The signature is 20 bytes: that is SHA-1, but this vendor signs with HMAC-SHA256.' });
    } else if (tokens.some((t) => (base64ToBytes(t)?.length ?? 0) === 64 && /^[0-9a-f]{64}$/i.test(new TextDecoder().decode(base64ToBytes(t))))) {
      findings.push({ cause: 'signature_encoding', message: 'The signature is base64 of a hex string (encoded twice): decode one layer before sending.' });
    } else {
      findings.push({ cause: 'signature_encoding', message: `The signature header does not decode to a 32-byte MAC (decoded lengths: ${lengths.join(', ')}); pass the header value unchanged.` });
    }
    return done();
  }

  const secrets = (typeof input.secret === 'string' || input.secret instanceof Uint8Array ? [input.secret] : [...(input.secret ?? [])]).filter((s): s is string => typeof s === 'string');
  const tsValue = profile.timestampHeader === undefined ? undefined : singleHeader(input.headers, profile.timestampHeader);
  const ts = typeof tsValue === 'string' ? tsValue : undefined;
  const matches = async (secret: string, body: string, withTimestamp = profile.signedContent === 'timestamp.body'): Promise<boolean> => {
    const parts = withTimestamp && ts !== undefined ? [`${ts}.`, body] : [body];
    const mac = await cryptoPort.hmacSha256(secret, parts);
    return decoded.macs.some((m) => m.length === MAC_BYTES && cryptoPort.equal(m, mac));
  };

  const bodies: { cause: DiagnosisCause; body: string; message: string }[] = [];
  if (/\r?\n$/.test(text)) bodies.push({ cause: 'trailing_newline', body: text.replace(/\r?\n$/, ''), message: 'The body gained a trailing newline after signing (a logger, proxy or test fixture added it): verify the bytes exactly as received.' });
  bodies.push({ cause: 'trailing_newline', body: `${text}\n`, message: 'The body lost its trailing newline before verification (trimmed by a parser or proxy): verify the bytes exactly as received.' });
  if (text.startsWith('\uFEFF')) bodies.push({ cause: 'byte_order_mark', body: text.slice(1), message: 'A byte-order mark was added before the body: verify the bytes exactly as received.' });
  try {
    const value: unknown = JSON.parse(text);
    const seen = new Set([text]);
    for (const variant of senderSerialisations(value)) {
      if (seen.has(variant)) continue;
      seen.add(variant);
      bodies.push({ cause: 'body_reserialized', body: variant, message: 'The body was parsed and re-serialised before verification (e.g. JSON.stringify(req.body)): the signature covers the raw bytes, so verify those. See "raw body" in the docs.' });
    }
  } catch {
    // Not JSON (or nested too deep to re-serialise): only the byte-level variants apply.
  }
  const secretVariants: { cause: DiagnosisCause; secret: string; message: string }[] = [];
  for (const s of secrets) {
    if (s.startsWith('whsec_')) secretVariants.push({ cause: 'secret_prefix', secret: s.slice(6), message: 'The sender signs with the secret without its whsec_ prefix: configure the same form on both sides.' });
    else secretVariants.push({ cause: 'secret_prefix', secret: `whsec_${s}`, message: 'The sender signs with the whole secret including the whsec_ prefix: configure the whole string.' });
    const b64 = base64ToBytes(s.replace(/^whsec_/, ''));
    if (b64 !== undefined && b64.length > 0) {
      const raw = new TextDecoder('utf-8', { fatal: false }).decode(b64);
      if (encoder.encode(raw).length === b64.length) secretVariants.push({ cause: 'secret_encoding', secret: raw, message: 'The sender uses the base64-decoded secret as the key: this vendor uses the secret string as given.' });
    }
  }

  for (const secret of secrets) {
    for (const b of bodies) if (await matches(secret, b.body)) findings.push({ cause: b.cause, message: b.message });
    if (profile.signedContent === 'timestamp.body' && (await matches(secret, text, false))) {
      findings.push({ cause: 'timestamp_not_signed', message: `The signature covers the body alone, but ${profile.name} signs "<timestamp>.<body>".` });
    }
  }
  for (const v of secretVariants) {
    if (await matches(v.secret, text)) findings.push({ cause: v.cause, message: v.message });
  }
  if (findings.length === 0) {
    const other = vendorIds.find((id) => id !== profile.id && singleHeader(input.headers, vendors[id].signatureHeader) !== undefined);
    if (other !== undefined) {
      findings.push({ cause: 'wrong_vendor', message: `The request also carries ${vendors[other].name}'s signature header: is the route configured for the right vendor?` });
    }
    findings.push({ cause: 'wrong_secret', message: 'No common mistake explains the mismatch: the secret is most likely wrong (copy it again from the vendor dashboard; during rotation pass both).' });
  }
  return done();
}
