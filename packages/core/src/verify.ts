import { cryptoPort } from './crypto-node.js';
import { bytesToHex, decodeSignatures } from './encoding.js';
import { WebhookError, setupError } from './errors.js';
import { CONFLICT, headerValues, singleHeader, type HeadersLike } from './headers.js';
import { parseJson } from './json.js';
import { isPromise, promised } from './maybe.js';
import { checkOptionKeys } from './options.js';
import { checkMaxBodyBytes, checkTolerance, normaliseSecrets, resolveVendor } from './resolve.js';
import { schemaFor, type PayloadSchema, type StandardSchemaV1 } from './schema.js';
import { parseTimestamp } from './timestamp.js';
import {
  firstHeaderValues,
  firstSingleHeader,
  parseSignatureHeader,
  schemeOf,
  secretEncodingHint,
  secretKey,
  signedParts,
  describeSignedContent,
  type CompiledScheme,
  type HmacKey,
} from './scheme.js';
import type { IdSource, Secrets, VendorRef, VerifyResult, WebhookEvent } from './types.js';
import type { VendorProfile } from './vendors/profile.js';
import type { VendorId } from './vendors/index.js';

/** 1 MiB, the default body limit. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The replay window, in seconds, for a timestamp-signed profile that names none
 * (`defineVendor` fills it in too): 5 minutes, Autoposting's documented window and
 * the common choice (Stripe, Standard Webhooks).
 */
export const DEFAULT_TOLERANCE_SEC = 300;

/**
 * The setup error for `allowUnsigned: true` together with a secret: with both, a delivery
 * whose signature header was stripped would be accepted, so the secret would protect nothing.
 */
export function allowUnsignedWithSecret(vendorName: string): TypeError {
  return setupError(
    `allowUnsigned: true with a secret: anyone could remove the signature header and be accepted. Either drop the secret while the ${vendorName} webhook is unsigned, or drop allowUnsigned once it is signed (to switch without losing deliveries, deploy with allowUnsigned and no secret, set the secret at ${vendorName}, then deploy with the secret and without allowUnsigned).`,
  );
}

/** Everything `verify` needs besides the delivery itself; also what `createVerifier` and `createReceiver` take. */
export interface VerifyOptions<V extends VendorRef = VendorRef> {
  /** A built-in vendor id, or a profile (override any assumption with `defineVendor`). */
  vendor: V;
  /** The signing secret; several during rotation (any may match, `secretIndex` says which). */
  secret: Secrets;
  /**
   * Replay window in seconds for vendors that sign a timestamp; default from the profile
   * (Autoposting: 300). A timestamp-signed profile without one (e.g. a hand-written
   * profile) gets `DEFAULT_TOLERANCE_SEC` (300): a signed timestamp is always checked.
   */
  toleranceSec?: number;
  /** Clock in ms since epoch; inject it in tests (e.g. the mock sender's `sender.now`). */
  now?: () => number;
  /**
   * Accept deliveries with no signature header at all. Only for vendors whose secret is
   * optional (Autoposting), and only while the webhook has **no** secret: with a non-empty
   * `secret` it is a setup `TypeError`, because anyone could strip the signature header and
   * be accepted. To move a webhook from unsigned to signed, see the Autoposting vendor notes.
   */
  allowUnsigned?: boolean;
  /**
   * Headers the vendor must send with exactly these values, compared in constant time.
   * For Audenci's custom delivery headers, e.g. `{ authorization: 'Bearer …' }` (its help page, "Webhook Authentication").
   */
  requiredHeaders?: Readonly<Record<string, string>>;
  /** Larger bodies fail with `payload_too_large` (413) before any crypto. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Opt-in runtime validation with any Standard Schema (zod, valibot, arktype). */
  schema?: PayloadSchema;
}

/** What `verify()` takes: the options plus one delivery's raw body and headers. */
export interface VerifyInput<V extends VendorRef = VendorRef> extends VerifyOptions<V> {
  /** The raw bytes exactly as received (a string only if nothing re-encoded it). */
  body: string | Uint8Array;
  /** Any case, arrays allowed: Fetch `Headers`, Node's `IncomingHttpHeaders` or a plain record. */
  headers: HeadersLike;
}

/** A verifier with its options checked once; `verify()` is this plus the checks per call. */
export type Verifier<V extends VendorRef = VendorRef> = (
  body: unknown,
  headers: HeadersLike | null | undefined,
) => Promise<VerifyResult<V>>;

interface Prepared {
  profile: VendorProfile;
  secrets: readonly (string | Uint8Array)[];
  /** The secrets as HMAC keys, decoded once per the scheme's secret encoding. */
  hmacKeys: readonly HmacKey[];
  scheme: CompiledScheme;
  toleranceMs: number | undefined;
  now: () => number;
  allowUnsigned: boolean;
  required: readonly (readonly [string, string])[];
  maxBodyBytes: number;
  schema: PayloadSchema | undefined;
  keys: ProfileKeys;
}

/** What every delivery looks up, derived once per profile: lower-case header names are what Node hands over. */
interface ProfileKeys {
  documented: ReadonlySet<string>;
  signature: string;
  timestamp: string | undefined;
  event: string | undefined;
  delivery: string | undefined;
}

const profileKeys = new WeakMap<VendorProfile, ProfileKeys>();

function keysOf(profile: VendorProfile): ProfileKeys {
  let keys = profileKeys.get(profile);
  if (keys === undefined) {
    keys = {
      documented: new Set(profile.events),
      signature: profile.signatureHeader.toLowerCase(),
      timestamp: profile.timestampHeader?.toLowerCase(),
      event: profile.eventHeader?.toLowerCase(),
      delivery: profile.deliveryHeader?.toLowerCase(),
    };
    profileKeys.set(profile, keys);
  }
  return keys;
}

const NO_REQUIRED: Prepared['required'] = [];

function prepare(options: VerifyOptions): Prepared {
  if (typeof options !== 'object' || options === null) {
    throw setupError('verify() takes one object: { vendor, secret, body, headers }.');
  }
  const profile = resolveVendor(options.vendor);
  const allowUnsigned = options.allowUnsigned === true;
  if (allowUnsigned && profile.unsigned !== 'opt-in') {
    throw setupError(
      `allowUnsigned is only for vendors that send unsigned deliveries (autoposting); ${profile.name} always signs, so remove the option.`,
    );
  }
  checkTolerance(options.toleranceSec);
  checkMaxBodyBytes(options.maxBodyBytes);
  const requiredHeaders = options.requiredHeaders;
  const required = requiredHeaders === undefined || requiredHeaders === null ? NO_REQUIRED : Object.entries(requiredHeaders).map(([k, v]) => {
    if (typeof v !== 'string' || v === '') {
      throw setupError(`requiredHeaders[${JSON.stringify(k)}] must be a non-empty string.`);
    }
    return [k, v] as const;
  });
  const scheme = schemeOf(profile);
  // A signed timestamp is always checked: a profile without a window gets the default one.
  const tolerance = options.toleranceSec ?? profile.toleranceSec ?? (scheme.timestamp !== undefined ? DEFAULT_TOLERANCE_SEC : undefined);
  const secrets = normaliseSecrets(options.secret, allowUnsigned);
  if (allowUnsigned && secrets.length > 0) throw allowUnsignedWithSecret(profile.name);
  return {
    profile,
    secrets,
    hmacKeys: keysFor(secrets, scheme),
    scheme,
    toleranceMs: tolerance === undefined ? undefined : tolerance * 1000,
    now: typeof options.now === 'function' ? options.now : Date.now,
    allowUnsigned,
    required,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    schema: options.schema,
    keys: keysOf(profile),
  };
}

/** Each secret as the scheme's HMAC key; a secret that does not decode is a setup error naming the fix. */
function keysFor(secrets: readonly (string | Uint8Array)[], scheme: CompiledScheme): HmacKey[] {
  return secrets.map((secret, i) => {
    const key = secretKey(secret, scheme.secretEncoding);
    if (key === undefined) {
      throw setupError(`\`secret\`${secrets.length > 1 ? `[${i}]` : ''} does not decode: ${secretEncodingHint(scheme.secretEncoding)}.`);
    }
    return key;
  });
}

/** Checks options once (throws `TypeError` on programmer errors) and returns a verifier that never throws. */
export function createVerifier<V extends VendorRef = VendorId>(options: VerifyOptions<V>): Verifier<V> {
  checkOptionKeys(options, 'createVerifier');
  const prepared = prepare(options);
  return (body, headers) => run(prepared, body, headers) as Promise<VerifyResult<V>>;
}

/**
 * Internal (the receiver and the adapters' engine): `createVerifier` without its promise.
 * The result itself when it is ready at once (Node's HMAC is synchronous), a promise only
 * where the crypto port or a schema is asynchronous. Never throws, never rejects.
 */
export type Check<V extends VendorRef = VendorRef> = (body: unknown, headers: HeadersLike | null | undefined) => VerifyResult<V> | Promise<VerifyResult<V>>;

export function createCheck<V extends VendorRef = VendorId>(options: VerifyOptions<V>): Check<V> {
  const prepared = prepare(options);
  return (body, headers) => runNow(prepared, body, headers) as VerifyResult<V> | Promise<VerifyResult<V>>;
}

/**
 * Verifies one delivery and turns it into a typed event. Resolves `{ ok: false, error }`
 * for anything a network peer controls; throws only for setup mistakes in the options
 * (no secret, unknown vendor, `allowUnsigned` together with a secret, ...), as a
 * `TypeError` that names the fix, like `createVerifier` and `createReceiver`: the
 * options are the caller's code, not peer input.
 */
export function verify<V extends VendorRef = VendorId>(input: VerifyInput<V>): Promise<VerifyResult<V>> {
  checkOptionKeys(input, 'verify');
  const prepared = prepare(input);
  return run(prepared, input.body, input.headers) as Promise<VerifyResult<V>>;
}

/** A result now, or later where the crypto port (Web Crypto) or a schema is asynchronous. */
type Outcome = VerifyResult<VendorRef> | Promise<VerifyResult<VendorRef>>;


/** `verify` and `createVerifier`: `runNow`'s result as a promise, settled at once on Node's synchronous HMAC. */
function run(p: Prepared, rawBody: unknown, headers: HeadersLike | null | undefined): Promise<VerifyResult<VendorRef>> {
  return promised(runNow(p, rawBody, headers));
}

/**
 * The result itself when `check` has it at once (Node's HMAC is synchronous, so the
 * common path awaits nothing); every needless await or `.catch` would add a microtask per
 * delivery (bench/verify). Never throws, never rejects.
 */
function runNow(p: Prepared, rawBody: unknown, headers: HeadersLike | null | undefined): Outcome {
  try {
    const out = check(p, rawBody, headers);
    return isPromise(out) ? out.catch((cause: unknown) => broken(p, cause)) : out;
  } catch (cause) {
    return broken(p, cause);
  }
}

/** Defence in depth: a bug of ours must still not throw at the caller. */
function broken(p: Prepared, cause: unknown): VerifyResult<VendorRef> {
  return {
    ok: false,
    error: new WebhookError('internal_error', 'hookproof failed to verify the delivery.', { vendor: p.profile.id, cause, hint: 'A bug in hookproof: please report it with error.cause.' }),
  };
}

function fail(p: Prepared, code: ConstructorParameters<typeof WebhookError>[0], message: string, hint?: string, details?: unknown) {
  return { ok: false as const, error: new WebhookError(code, message, { vendor: p.profile.id, hint, details }) };
}

const encoder = new TextEncoder();

function bodyTooLarge(body: string | Uint8Array, max: number): boolean {
  if (typeof body !== 'string') return body.byteLength > max;
  if (body.length > max) return true;
  if (body.length * 3 <= max) return false;
  return encoder.encode(body).byteLength > max;
}

function check(p: Prepared, rawBody: unknown, headers: HeadersLike | null | undefined): Outcome {
  const body = asRawBody(rawBody);
  if (body === undefined) {
    return fail(
      p,
      'body_not_raw',
      'The request body was already parsed, so its signature cannot be checked.',
      `Got ${rawBody === null ? 'null' : typeof rawBody} instead of the raw bytes. Mount the webhook route before any JSON body parser, or keep the raw buffer (express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })) and pass it as \`body\`.`,
    );
  }
  if (bodyTooLarge(body, p.maxBodyBytes)) {
    return fail(p, 'payload_too_large', `The body is larger than ${p.maxBodyBytes} bytes.`, 'Raise `maxBodyBytes` if the vendor really sends bodies this large.');
  }
  return p.required.length > 0 ? checkRequired(p, body, headers) : checkSignature(p, body, headers);
}

async function checkRequired(p: Prepared, body: string | Uint8Array, headers: HeadersLike | null | undefined): Promise<VerifyResult<VendorRef>> {
  for (const [name, expected] of p.required) {
    const got = singleHeader(headers, name);
    if (typeof got !== 'string' || !(await sameSecretValue(got, expected))) {
      return fail(p, 'invalid_auth_header', `The ${name} header is missing or wrong.`, `Set the same ${name} value in the ${p.profile.name} dashboard and in \`requiredHeaders\`.`);
    }
  }
  return checkSignature(p, body, headers);
}

function checkSignature(p: Prepared, body: string | Uint8Array, headers: HeadersLike | null | undefined): Outcome {
  if (!p.scheme.lenient) return checkScheme(p, body, headers);
  const { profile } = p;
  const sigValues = headerValues(headers, p.keys.signature);
  if (sigValues.length === 0) {
    if (p.allowUnsigned) return parse(p, body, headers, undefined, -1, undefined);
    return fail(
      p,
      'missing_signature',
      `The ${profile.signatureHeader} header is missing.`,
      profile.unsigned === 'opt-in'
        ? `${profile.name} signs only when the webhook has a secret: set one when creating the webhook (and pass it as \`secret\`), or, while the webhook has no secret, pass allowUnsigned: true without a secret.`
        : `Is this request from ${profile.name}? Check that a proxy does not strip the ${profile.signatureHeader} header.`,
    );
  }
  const decoded = decodeSignatures(sigValues);
  if (!decoded.ok) {
    return fail(
      p,
      decoded.reason === 'empty' ? 'missing_signature' : 'malformed_signature',
      decoded.reason === 'wrong_length'
        ? `The ${profile.signatureHeader} header does not hold a 32-byte HMAC-SHA256.`
        : `The ${profile.signatureHeader} header is not a hex or base64 HMAC-SHA256.`,
      'Pass the header value unchanged; run diagnose() for details.',
    );
  }

  let tsRaw: string | undefined;
  let signedAt: number | undefined;
  if (profile.signedContent === 'timestamp.body' && profile.timestampHeader !== undefined) {
    const ts = singleHeader(headers, p.keys.timestamp ?? profile.timestampHeader);
    if (ts === undefined) {
      return fail(p, 'missing_timestamp', `The ${profile.timestampHeader} header is missing.`, `${profile.name} signs "<timestamp>.<body>"; check that a proxy does not strip it.`);
    }
    if (ts === CONFLICT || (signedAt = parseTimestamp(ts)) === undefined) {
      return fail(p, 'malformed_timestamp', `The ${profile.timestampHeader} header is not one unix or ISO-8601 time.`);
    }
    tsRaw = ts;
  }

  const parts: (string | Uint8Array)[] = tsRaw === undefined ? [body] : [`${tsRaw}.`, body];
  return matchSecret(p, body, headers, parts, decoded.macs, signedAt, 0, undefined);
}

/**
 * A scheme read strictly (`SigningScheme`): the signature header's entries with the
 * scheme's label, the timestamp from its header or a `t=`-style entry, the signed id, then
 * the signed content rebuilt from the template. An entry with another label is never
 * tried as an HMAC.
 */
function checkScheme(p: Prepared, body: string | Uint8Array, headers: HeadersLike | null | undefined): Outcome {
  const { profile, scheme } = p;
  const found = firstHeaderValues(headers, scheme.signatureKeys);
  if (found === undefined) {
    if (p.allowUnsigned) return parse(p, body, headers, undefined, -1, undefined);
    return fail(p, 'missing_signature', `The ${scheme.signatureNames.join(' / ')} header is missing.`, `Is this request from ${profile.name}? Check that a proxy does not strip the ${scheme.signatureNames[0]} header.`);
  }
  const parsed = parseSignatureHeader(scheme, found.values);
  if (!parsed.ok) {
    const label = scheme.prefix === '' ? 'a' : `a \`${scheme.prefix}\``;
    return fail(
      p,
      parsed.reason === 'empty' ? 'missing_signature' : 'malformed_signature',
      parsed.reason === 'no_known_label'
        ? `The ${scheme.signatureNames[0]} header holds no ${scheme.prefix} signature; entries with other labels are not checked.`
        : parsed.reason === 'wrong_length'
          ? `The ${scheme.signatureNames[0]} header does not hold ${label} ${scheme.macBytes}-byte HMAC-${scheme.algorithm.toUpperCase()}.`
          : `The ${scheme.signatureNames[0]} header does not hold ${label} hex or base64 HMAC-${scheme.algorithm.toUpperCase()}.`,
      'Pass the header value unchanged; run diagnose() for details.',
    );
  }
  let tsRaw: string | undefined;
  let signedAt: number | undefined;
  if (scheme.timestamp !== undefined) {
    const where = scheme.timestamp.key === undefined ? `The ${scheme.timestamp.names.join(' / ')} header` : `The ${scheme.timestamp.key}= entry of ${scheme.signatureNames[0]}`;
    const ts = scheme.timestamp.key === undefined ? firstSingleHeader(headers, scheme.timestamp.keys) : parsed.timestamp;
    if (ts === undefined) {
      return fail(p, 'missing_timestamp', `${where} is missing.`, `${profile.name} signs "${describeSignedContent(scheme)}"; check that a proxy does not strip it.`);
    }
    if (ts === CONFLICT || (signedAt = parseTimestamp(ts)) === undefined) {
      return fail(p, 'malformed_timestamp', `${where} is not one unix or ISO-8601 time.`);
    }
    tsRaw = ts;
  }
  let id: string | undefined;
  if (scheme.id !== undefined) {
    const value = firstSingleHeader(headers, scheme.id.keys);
    if (value === undefined || value === CONFLICT) {
      return fail(
        p,
        'malformed_signature',
        `The ${scheme.id.names.join(' / ')} header is ${value === undefined ? 'missing' : 'sent twice with different values'}, so the signed content cannot be rebuilt.`,
        `${profile.name} signs "${describeSignedContent(scheme)}".`,
      );
    }
    id = value;
  }
  return matchSecret(p, body, headers, signedParts(scheme, body, { id, timestamp: tsRaw }), parsed.macs, signedAt, 0, id);
}

/** Tries secrets from index `i` on; stays synchronous as long as the HMAC does (Node). */
function matchSecret(
  p: Prepared,
  body: string | Uint8Array,
  headers: HeadersLike | null | undefined,
  parts: readonly (string | Uint8Array)[],
  macs: readonly Uint8Array[],
  signedAt: number | undefined,
  i: number,
  signedId: string | undefined,
): Outcome {
  const { algorithm } = p.scheme;
  for (; i < p.hmacKeys.length; i++) {
    const mac = cryptoPort.hmac(algorithm, p.hmacKeys[i]!, parts);
    if (isPromise(mac)) {
      const index = i;
      return mac.then((m) =>
        matchesAny(m, macs) ? accept(p, body, headers, signedAt, index, signedId) : matchSecret(p, body, headers, parts, macs, signedAt, index + 1, signedId),
      );
    }
    if (matchesAny(mac, macs)) return accept(p, body, headers, signedAt, i, signedId);
  }
  if (p.secrets.length === 0) {
    return fail(
      p,
      'signature_mismatch',
      'The delivery is signed, but no secret is configured to check it.',
      `The ${p.profile.name} webhook has a secret: pass it as \`secret\` (allowUnsigned only covers deliveries with no signature header).`,
    );
  }
  return fail(
    p,
    'signature_mismatch',
    'No configured secret produced this signature.',
    'Check the secret (the whole string, including any whsec_ prefix) and that the body is the raw bytes as received; diagnose() names the likely cause.',
  );
}

function matchesAny(mac: Uint8Array, candidates: readonly Uint8Array[]): boolean {
  for (const candidate of candidates) if (cryptoPort.equal(mac, candidate)) return true;
  return false;
}

/** The signature matched secret `secretIndex`: check the replay window, then parse. */
function accept(
  p: Prepared,
  body: string | Uint8Array,
  headers: HeadersLike | null | undefined,
  signedAt: number | undefined,
  secretIndex: number,
  signedId: string | undefined,
): Outcome {
  if (signedAt !== undefined && p.toleranceMs !== undefined) {
    const skew = p.now() - signedAt;
    if (Math.abs(skew) > p.toleranceMs) {
      return fail(
        p,
        'timestamp_out_of_tolerance',
        `The signed timestamp is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'old' : 'in the future'}; the window is ${p.toleranceMs / 1000} s.`,
        "A replay, or a clock out of sync: check the server's NTP, or widen `toleranceSec`.",
      );
    }
  }
  return parse(p, body, headers, signedAt, secretIndex, signedId);
}

function asRawBody(body: unknown): string | Uint8Array | undefined {
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return undefined;
}

// Comparing digests keeps the comparison constant-time even when lengths differ.
async function sameSecretValue(got: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([cryptoPort.sha256(got), cryptoPort.sha256(expected)]);
  return cryptoPort.equal(a, b);
}

/** The event as built before the optional schema check (which may replace `payload`). */
interface Draft {
  readonly vendor: string;
  readonly type: string;
  readonly documented: boolean;
  readonly id: string;
  readonly idSource: IdSource;
  readonly deliveryId: string | undefined;
  readonly signedAt: number | undefined;
  payload: unknown;
  readonly raw: string;
}

function parse(
  p: Prepared,
  body: string | Uint8Array,
  headers: HeadersLike | null | undefined,
  signedAt: number | undefined,
  secretIndex: number,
  signedId: string | undefined,
): Outcome {
  const { profile } = p;
  let text: string;
  if (typeof body === 'string') {
    text = body;
  } else {
    if (!cryptoPort.isUtf8(body)) return fail(p, 'invalid_json', 'The body is not valid UTF-8, so it is not JSON.');
    text = cryptoPort.utf8Decode(body);
  }
  const parsed = profile.bodyFormat === 'json-or-form' && !looksLikeJson(text) ? parseForm(text) : parseJson(text);
  if (!parsed.ok) return fail(p, 'invalid_json', `The body is not JSON: ${parsed.message}`);
  const payload = parsed.value;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return fail(p, 'invalid_payload', `The body is JSON but not a ${profile.name} event object.`);
  }
  const record = payload as Record<string, unknown>;

  // The type and the id come from the signed body only. Autoposting's
  // X-Autoposting-Event and X-Autoposting-Delivery headers are not covered by the
  // signature (Autoposting.ai docs, "Webhooks" concept page: the MAC is over
  // "<timestamp>.<raw body>"): taken as the type or the dedupe id they would let anyone
  // relabel a captured delivery, or replay it once per made-up delivery id.
  let type: string | undefined;
  for (const field of profile.typeFields) {
    const v = record[field];
    if (typeof v === 'string' && v !== '') {
      type = v;
      break;
    }
  }
  if (type === undefined && profile.typeFromEventHeader === true && p.keys.event !== undefined) {
    // Opt-in only (GitHub and Shopify name the event in a header alone): that header is not
    // signed, so a captured delivery can be relabelled; the profile says so in its docs.
    const h = singleHeader(headers, p.keys.event);
    if (typeof h === 'string') type = h;
  }
  let documented = type !== undefined && (profile.openEvents === true || p.keys.documented.has(type));
  if (type === undefined && profile.untypedEvent !== undefined) {
    // A body that names no type (the Standard Webhooks spec's own vectors): an undocumented event.
    type = profile.untypedEvent;
    documented = false;
  }
  if (type === undefined) {
    return fail(
      p,
      'invalid_payload',
      `The body has no event type (${profile.typeFields.join(' or ')}).`,
      p.keys.event === undefined
        ? undefined
        : `The ${profile.eventHeader} header is not signed, so it is never used as the type of a verified event.`,
    );
  }

  const deliveryHeader = signedId ?? (p.keys.delivery === undefined ? undefined : singleHeader(headers, p.keys.delivery));
  const deliveryId = typeof deliveryHeader === 'string' ? deliveryHeader : undefined;
  const payloadId = profile.idField === undefined ? undefined : record[profile.idField];
  if (typeof payloadId === 'string' && payloadId !== '') {
    return validated(p, {
      vendor: profile.id,
      type,
      documented,
      id: payloadId,
      idSource: 'payload',
      deliveryId,
      signedAt,
      payload,
      raw: text,
    }, secretIndex);
  }
  if (signedId !== undefined) {
    // An id header the MAC covers (Standard Webhooks' webhook-id), the same on every retry.
    return validated(p, { vendor: profile.id, type, documented, id: signedId, idSource: 'signed-header', deliveryId, signedAt, payload, raw: text }, secretIndex);
  }
  return digestDraft(p, body, profile.id, type, documented, deliveryId, signedAt, payload, text, secretIndex);
}

/** A form-encoded body never starts with `{` or `[`; a JSON one always does (after white space). */
function looksLikeJson(text: string): boolean {
  const c = text.trimStart().charAt(0);
  return c === '{' || c === '[';
}

/**
 * An `application/x-www-form-urlencoded` body (Slack's slash commands) as an object of its
 * fields; an empty body is an empty object. Own data properties only, so a field named
 * `__proto__` is just a field.
 */
function parseForm(text: string): { ok: true; value: Record<string, string> } {
  return { ok: true, value: Object.fromEntries(new URLSearchParams(text)) };
}

/**
 * No event id in the body: the id is a digest of the raw body alone, never of the MAC
 * (which depends on the secret that matched: during rotation one event would get one id
 * per secret, and the id would show part of a MAC in logs and responses). Where the
 * digest is synchronous (Node) it is computed when `event.id` is first read, so a bare
 * `verify()` costs one pass over the body like the HMAC floor (bench/verify); a receiver
 * reads it for the dedupe key. Web Crypto's digest is asynchronous: computed before the
 * result resolves.
 */
function digestDraft(
  p: Prepared,
  body: string | Uint8Array,
  vendor: string,
  type: string,
  documented: boolean,
  deliveryId: string | undefined,
  signedAt: number | undefined,
  payload: unknown,
  raw: string,
  secretIndex: number,
): Outcome {
  if (cryptoPort.runtime !== 'node') return eagerDigestDraft(p, body, vendor, type, documented, deliveryId, signedAt, payload, raw, secretIndex);
  return validated(p, lazyDigestDraft(vendor, type, documented, deliveryId, signedAt, payload, raw, body), secretIndex);
}

/** Web Crypto: the digest is a promise, so the id is computed before the result resolves. */
function eagerDigestDraft(
  p: Prepared,
  body: string | Uint8Array,
  vendor: string,
  type: string,
  documented: boolean,
  deliveryId: string | undefined,
  signedAt: number | undefined,
  payload: unknown,
  raw: string,
  secretIndex: number,
): Outcome {
  const digest = cryptoPort.sha256(body);
  const build = (d: Uint8Array): Draft => ({ vendor, type, documented, id: bodyDigestId(d), idSource: 'body-digest', deliveryId, signedAt, payload, raw });
  return isPromise(digest) ? digest.then((d) => validated(p, build(d), secretIndex)) : validated(p, build(digest), secretIndex);
}

/** Node's `util.inspect.custom`, by its registered name (core imports nothing from node:util). */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A verified event whose `id` is the body digest, hashed on first read. A class, not an
 * object literal with a getter: V8 builds such a literal through a slow path (~0.7 us per
 * event, 10% of a 1 KB delivery, bench/verify), while a prototype getter costs nothing.
 * `toJSON` and `util.inspect` show `id` like a plain field; a spread (`{ ...event }`) does
 * not copy it: read `event.id` itself.
 */
class BodyDigestEvent implements Draft {
  readonly idSource = 'body-digest' as const;
  #body: string | Uint8Array;
  #id: string | undefined;

  constructor(
    readonly vendor: string,
    readonly type: string,
    readonly documented: boolean,
    readonly deliveryId: string | undefined,
    readonly signedAt: number | undefined,
    public payload: unknown,
    readonly raw: string,
    body: string | Uint8Array,
  ) {
    this.#body = body;
  }

  get id(): string {
    return (this.#id ??= bodyDigestId(cryptoPort.sha256(this.#body) as Uint8Array));
  }

  toJSON(): Omit<Draft, 'payload'> & { payload: unknown } {
    const { vendor, type, documented, id, idSource, deliveryId, signedAt, payload, raw } = this;
    return { vendor, type, documented, id, idSource, deliveryId, signedAt, payload, raw };
  }

  [INSPECT](): unknown {
    return this.toJSON();
  }
}

function lazyDigestDraft(
  vendor: string,
  type: string,
  documented: boolean,
  deliveryId: string | undefined,
  signedAt: number | undefined,
  payload: unknown,
  raw: string,
  body: string | Uint8Array,
): Draft {
  return new BodyDigestEvent(vendor, type, documented, deliveryId, signedAt, payload, raw, body);
}

/** `sha256:` and the first 16 bytes (32 hex digits) of SHA-256 over the raw body. */
function bodyDigestId(digest: Uint8Array): string {
  return `sha256:${bytesToHex(digest, 16)}`;
}

function validated(p: Prepared, draft: Draft, secretIndex: number): Outcome {
  const schema = schemaFor(p.schema, draft.type);
  if (schema === undefined) return { ok: true, event: draft as unknown as WebhookEvent<VendorRef>, secretIndex };
  return validateWith(p, schema, draft, secretIndex);
}

async function validateWith(p: Prepared, schema: StandardSchemaV1, draft: Draft, secretIndex: number): Promise<VerifyResult<VendorRef>> {
  let result: Awaited<ReturnType<StandardSchemaV1['~standard']['validate']>>;
  try {
    result = await schema['~standard'].validate(draft.payload);
  } catch (cause) {
    // A validator that throws is a bug on the receiving side, not a bad payload:
    // a 5xx makes the vendor retry instead of dropping the event on a 4xx.
    return {
      ok: false as const,
      error: new WebhookError('handler_error', `The payload schema for ${draft.type} threw instead of returning issues.`, {
        vendor: p.profile.id,
        cause,
        hint: 'Fix the schema (see error.cause); Standard Schema validators report problems as issues.',
      }),
    };
  }
  if (result.issues !== undefined) {
    return fail(p, 'invalid_payload', `The ${draft.type} payload does not match the schema.`, undefined, result.issues);
  }
  draft.payload = result.value;
  return { ok: true, event: draft as unknown as WebhookEvent<VendorRef>, secretIndex };
}
