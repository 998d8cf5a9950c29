import { cryptoPort } from './crypto-node.js';
import { decodeSignatures } from './encoding.js';
import { WebhookError } from './errors.js';
import { BodyDigestEvent, bodyDigestId, looksLikeJson, parseForm, type Draft } from './event.js';
import { CONFLICT, headerValues, singleHeader, type HeadersLike } from './headers.js';
import { parseJson } from './json.js';
import { chainWith, type MaybePromise } from './maybe.js';
import { schemaFor, type StandardSchemaV1 } from './schema.js';
import {
  describeSignedContent,
  firstHeaderValues,
  firstSingleHeader,
  parseSignatureHeader,
  signedParts,
} from './scheme.js';
import { parseTimestamp } from './timestamp.js';
import type { VendorRef, VerifyResult, WebhookEvent } from './types.js';
import type { VerifyPlan } from './verify.js';

/**
 * `verify`'s steps, in order, over one `Delivery`. Each fills in the delivery and returns
 * `undefined` to go on, or returns the failure (or a promise of either: the rest then runs
 * once it resolves). Direct calls, not a loop over an array of steps: a call site that
 * sees seven functions is not inlined (bench/README.md#the-synchronous-path).
 */
function steps(d: Delivery, from: number): MaybePromise<Failed | undefined> {
  let out: MaybePromise<Failed | undefined>;
  if (from <= 0 && (out = rawBody(d)) !== undefined) return out;
  if (from <= 1 && (out = requiredHeaders(d)) !== undefined) return thenFrom(out, d, 2);
  if (from <= 2 && (out = signature(d)) !== undefined) return out;
  if (from <= 3 && (out = matchSecret(d)) !== undefined) return thenFrom(out, d, 4);
  if (from <= 4 && (out = replayWindow(d)) !== undefined) return out;
  if (from <= 5 && (out = parseEvent(d)) !== undefined) return thenFrom(out, d, 6);
  return validate(d);
}

/** A step's result: the failure, or once a promise resolves to `undefined`, the steps from `next` on. */
function thenFrom(out: MaybePromise<Failed | undefined>, d: Delivery, next: number): MaybePromise<Failed | undefined> {
  return chainWith(out, resume, d, next);
}

function resume(failed: Failed | undefined, d: Delivery, next: number): MaybePromise<Failed | undefined> {
  return failed ?? steps(d, next);
}

type Failed = { readonly ok: false; readonly error: WebhookError };

/** One delivery on its way through the steps. */
interface Delivery {
  readonly plan: VerifyPlan;
  readonly input: unknown;
  readonly headers: HeadersLike | null | undefined;
  /** The raw bytes (step `rawBody`). */
  body: string | Uint8Array;
  /** The signed content and the signatures sent (step `signature`); `undefined` parts: unsigned. */
  parts: readonly (string | Uint8Array)[] | undefined;
  macs: readonly Uint8Array[];
  signedAt: number | undefined;
  signedId: string | undefined;
  /** Which secret matched (step `matchSecret`); -1 for an accepted unsigned delivery. */
  secretIndex: number;
  /** The event (step `parseEvent`). */
  event: Draft | undefined;
}

/** Verifies one delivery with a checked plan; the result now on Node's synchronous HMAC. Never throws or rejects. */
export function verifyWith(
  plan: VerifyPlan,
  input: unknown,
  headers: HeadersLike | null | undefined,
): MaybePromise<VerifyResult<VendorRef>> {
  const d: Delivery = {
    plan,
    input,
    headers,
    body: '',
    parts: undefined,
    macs: NO_MACS,
    signedAt: undefined,
    signedId: undefined,
    secretIndex: -1,
    event: undefined,
  };
  try {
    return chainWith(steps(d, 0), outcome, d, undefined, broken);
  } catch (cause) {
    return broken(cause, d);
  }
}

const NO_MACS: readonly Uint8Array[] = [];

function outcome(failed: Failed | undefined, d: Delivery): VerifyResult<VendorRef> {
  return failed ?? { ok: true, event: d.event as unknown as WebhookEvent<VendorRef>, secretIndex: d.secretIndex };
}

/** Defence in depth: a bug of ours must still not throw at the caller. */
function broken(cause: unknown, d: Delivery): VerifyResult<VendorRef> {
  const hint = 'A bug in hookproof: please report it with error.cause.';
  const vendor = d.plan.profile.id;
  const message = 'hookproof failed to verify the delivery.';
  return { ok: false, error: new WebhookError('internal_error', message, { vendor, cause, hint }) };
}

type Code = ConstructorParameters<typeof WebhookError>[0];

function fail(d: Delivery, code: Code, message: string, hint?: string, details?: unknown): Failed {
  return { ok: false as const, error: new WebhookError(code, message, { vendor: d.plan.profile.id, hint, details }) };
}

// --- 1. raw body ----------------------------------------------------------------------------

function rawBody(d: Delivery): Failed | undefined {
  const { input, plan } = d;
  if (typeof input === 'string' || input instanceof Uint8Array) d.body = input;
  else if (input instanceof ArrayBuffer) d.body = new Uint8Array(input);
  else {
    return fail(
      d,
      'body_not_raw',
      'The request body was already parsed, so its signature cannot be checked.',
      `Got ${input === null ? 'null' : typeof input} instead of the raw bytes. ` +
        'Mount the webhook route before any JSON body parser, or keep the raw buffer ' +
        '(express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })) and pass it as `body`.',
    );
  }
  if (bodyTooLarge(d.body, plan.maxBodyBytes)) {
    const hint = 'Raise `maxBodyBytes` if the vendor really sends bodies this large.';
    return fail(d, 'payload_too_large', `The body is larger than ${plan.maxBodyBytes} bytes.`, hint);
  }
  return undefined;
}

const encoder = new TextEncoder();

function bodyTooLarge(body: string | Uint8Array, max: number): boolean {
  if (typeof body !== 'string') return body.byteLength > max;
  if (body.length > max) return true;
  if (body.length * 3 <= max) return false;
  return encoder.encode(body).byteLength > max;
}

// --- 2. required headers (Audenci's custom delivery headers) -----------------------------------

function requiredHeaders(d: Delivery): MaybePromise<Failed | undefined> {
  return d.plan.required.length === 0 ? undefined : checkRequired(d);
}

async function checkRequired(d: Delivery): Promise<Failed | undefined> {
  for (const [name, expected] of d.plan.required) {
    const got = singleHeader(d.headers, name);
    if (typeof got !== 'string' || !(await sameSecretValue(got, expected))) {
      const hint = `Set the same ${name} value in the ${d.plan.profile.name} dashboard and in \`requiredHeaders\`.`;
      return fail(d, 'invalid_auth_header', `The ${name} header is missing or wrong.`, hint);
    }
  }
  return undefined;
}

// Comparing digests keeps the comparison constant-time even when lengths differ.
async function sameSecretValue(got: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([cryptoPort.sha256(got), cryptoPort.sha256(expected)]);
  return cryptoPort.equal(a, b);
}

// --- 3. signature header, timestamp, signed id ---------------------------------------------------

function signature(d: Delivery): Failed | undefined {
  return d.plan.scheme.lenient ? lenientSignature(d) : schemeSignature(d);
}

/** A built-in profile read leniently (every hex or base64 spelling of the MAC in its header). */
function lenientSignature(d: Delivery): Failed | undefined {
  const { profile } = d.plan;
  const sigValues = headerValues(d.headers, d.plan.keys.signature);
  if (sigValues.length === 0) {
    if (d.plan.allowUnsigned) return undefined;
    return fail(
      d,
      'missing_signature',
      `The ${profile.signatureHeader} header is missing.`,
      profile.unsigned === 'opt-in'
        ? `${profile.name} signs only when the webhook has a secret: set one when creating the webhook ` +
            '(and pass it as `secret`), or, while the webhook has no secret, pass allowUnsigned: true without a secret.'
        : `Is this request from ${profile.name}? ` +
            `Check that a proxy does not strip the ${profile.signatureHeader} header.`,
    );
  }
  const decoded = decodeSignatures(sigValues);
  if (!decoded.ok) {
    return fail(
      d,
      decoded.reason === 'empty' ? 'missing_signature' : 'malformed_signature',
      decoded.reason === 'wrong_length'
        ? `The ${profile.signatureHeader} header does not hold a 32-byte HMAC-SHA256.`
        : `The ${profile.signatureHeader} header is not a hex or base64 HMAC-SHA256.`,
      'Pass the header value unchanged; run diagnose() for details.',
    );
  }
  let tsRaw: string | undefined;
  if (profile.signedContent === 'timestamp.body' && profile.timestampHeader !== undefined) {
    const ts = singleHeader(d.headers, d.plan.keys.timestamp ?? profile.timestampHeader);
    if (ts === undefined) {
      const hint = `${profile.name} signs "<timestamp>.<body>"; check that a proxy does not strip it.`;
      return fail(d, 'missing_timestamp', `The ${profile.timestampHeader} header is missing.`, hint);
    }
    if (ts === CONFLICT || (d.signedAt = parseTimestamp(ts)) === undefined) {
      return fail(d, 'malformed_timestamp', `The ${profile.timestampHeader} header is not one unix or ISO-8601 time.`);
    }
    tsRaw = ts;
  }
  d.macs = decoded.macs;
  d.parts = tsRaw === undefined ? [d.body] : [`${tsRaw}.`, d.body];
  return undefined;
}

/**
 * A scheme read strictly (`SigningScheme`): the signature header's entries with the
 * scheme's label, the timestamp from its header or a `t=`-style entry, the signed id, then
 * the signed content rebuilt from the template. An entry with another label is never
 * tried as an HMAC.
 */
function schemeSignature(d: Delivery): Failed | undefined {
  const { profile, scheme } = d.plan;
  const header = scheme.signatureNames[0];
  const found = firstHeaderValues(d.headers, scheme.signatureKeys);
  if (found === undefined) {
    if (d.plan.allowUnsigned) return undefined;
    const hint = `Is this request from ${profile.name}? Check that a proxy does not strip the ${header} header.`;
    return fail(d, 'missing_signature', `The ${scheme.signatureNames.join(' / ')} header is missing.`, hint);
  }
  const parsed = parseSignatureHeader(scheme, found.values);
  if (!parsed.ok) {
    const label = scheme.prefix === '' ? 'a' : `a \`${scheme.prefix}\``;
    const hmac = `HMAC-${scheme.algorithm.toUpperCase()}`;
    return fail(
      d,
      parsed.reason === 'empty' ? 'missing_signature' : 'malformed_signature',
      parsed.reason === 'no_known_label'
        ? `The ${header} header holds no ${scheme.prefix} signature; entries with other labels are not checked.`
        : parsed.reason === 'wrong_length'
          ? `The ${header} header does not hold ${label} ${scheme.macBytes}-byte ${hmac}.`
          : `The ${header} header does not hold ${label} hex or base64 ${hmac}.`,
      'Pass the header value unchanged; run diagnose() for details.',
    );
  }
  let tsRaw: string | undefined;
  if (scheme.timestamp !== undefined) {
    const { key, names, keys } = scheme.timestamp;
    const where = key === undefined ? `The ${names.join(' / ')} header` : `The ${key}= entry of ${header}`;
    const ts = key === undefined ? firstSingleHeader(d.headers, keys) : parsed.timestamp;
    if (ts === undefined) {
      const hint = `${profile.name} signs "${describeSignedContent(scheme)}"; check that a proxy does not strip it.`;
      return fail(d, 'missing_timestamp', `${where} is missing.`, hint);
    }
    if (ts === CONFLICT || (d.signedAt = parseTimestamp(ts)) === undefined) {
      return fail(d, 'malformed_timestamp', `${where} is not one unix or ISO-8601 time.`);
    }
    tsRaw = ts;
  }
  if (scheme.id !== undefined) {
    const value = firstSingleHeader(d.headers, scheme.id.keys);
    if (value === undefined || value === CONFLICT) {
      return fail(
        d,
        'malformed_signature',
        `The ${scheme.id.names.join(' / ')} header is ` +
          `${value === undefined ? 'missing' : 'sent twice with different values'}` +
          ', so the signed content cannot be rebuilt.',
        `${profile.name} signs "${describeSignedContent(scheme)}".`,
      );
    }
    d.signedId = value;
  }
  d.macs = parsed.macs;
  d.parts = signedParts(scheme, d.body, { id: d.signedId, timestamp: tsRaw });
  return undefined;
}

// --- 4. secret ------------------------------------------------------------------------------------

/** Tries each secret in turn; stays synchronous as long as the HMAC does (Node). */
function matchSecret(d: Delivery): MaybePromise<Failed | undefined> {
  return d.parts === undefined ? undefined : trySecrets(d, 0);
}

function trySecrets(d: Delivery, from: number): MaybePromise<Failed | undefined> {
  const { hmacKeys, scheme } = d.plan;
  for (let i = from; i < hmacKeys.length; i++) {
    const mac = cryptoPort.hmac(scheme.algorithm, hmacKeys[i]!, d.parts!);
    if (mac instanceof Promise) {
      d.secretIndex = i;
      return chainWith(mac, matchedAsync, d, undefined);
    }
    if (matchesAny(mac, d.macs)) {
      d.secretIndex = i;
      return undefined;
    }
  }
  return noSecretMatched(d);
}

/** Web Crypto: the HMAC for secret `d.secretIndex` resolved. */
function matchedAsync(mac: Uint8Array, d: Delivery): MaybePromise<Failed | undefined> {
  return matchesAny(mac, d.macs) ? undefined : trySecrets(d, d.secretIndex + 1);
}

function noSecretMatched(d: Delivery): Failed {
  if (d.plan.secrets.length === 0) {
    return fail(
      d,
      'signature_mismatch',
      'The delivery is signed, but no secret is configured to check it.',
      `The ${d.plan.profile.name} webhook has a secret: pass it as \`secret\` ` +
        '(allowUnsigned only covers deliveries with no signature header).',
    );
  }
  return fail(
    d,
    'signature_mismatch',
    'No configured secret produced this signature.',
    'Check the secret (the whole string, including any whsec_ prefix) and that the body is the raw bytes as ' +
      'received; diagnose() names the likely cause.',
  );
}

function matchesAny(mac: Uint8Array, candidates: readonly Uint8Array[]): boolean {
  for (const candidate of candidates) if (cryptoPort.equal(mac, candidate)) return true;
  return false;
}

// --- 5. replay window ----------------------------------------------------------------------------

function replayWindow(d: Delivery): Failed | undefined {
  const { toleranceMs } = d.plan;
  if (d.signedAt === undefined || toleranceMs === undefined) return undefined;
  const skew = d.plan.now() - d.signedAt;
  if (Math.abs(skew) <= toleranceMs) return undefined;
  return fail(
    d,
    'timestamp_out_of_tolerance',
    `The signed timestamp is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'old' : 'in the future'}; ` +
      `the window is ${toleranceMs / 1000} s.`,
    "A replay, or a clock out of sync: check the server's NTP, or widen `toleranceSec`.",
  );
}

// --- 6. event: type and id from the signed body ------------------------------------------------

function parseEvent(d: Delivery): MaybePromise<Failed | undefined> {
  const { profile, keys } = d.plan;
  const { body, headers } = d;
  let text: string;
  if (typeof body === 'string') {
    text = body;
  } else {
    if (!cryptoPort.isUtf8(body)) return fail(d, 'invalid_json', 'The body is not valid UTF-8, so it is not JSON.');
    text = cryptoPort.utf8Decode(body);
  }
  const parsed = profile.bodyFormat === 'json-or-form' && !looksLikeJson(text) ? parseForm(text) : parseJson(text);
  if (!parsed.ok) return fail(d, 'invalid_json', `The body is not JSON: ${parsed.message}`);
  const payload = parsed.value;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return fail(d, 'invalid_payload', `The body is JSON but not a ${profile.name} event object.`);
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
  if (type === undefined && profile.typeFromEventHeader === true && keys.event !== undefined) {
    // Opt-in only (GitHub and Shopify name the event in a header alone): that header is not
    // signed, so a captured delivery can be relabelled; the profile says so in its docs.
    const h = singleHeader(headers, keys.event);
    if (typeof h === 'string') type = h;
  }
  let documented = type !== undefined && (profile.openEvents === true || keys.documented.has(type));
  if (type === undefined && profile.untypedEvent !== undefined) {
    // A body that names no type (the Standard Webhooks spec's own vectors): an undocumented event.
    type = profile.untypedEvent;
    documented = false;
  }
  if (type === undefined) {
    return fail(
      d,
      'invalid_payload',
      `The body has no event type (${profile.typeFields.join(' or ')}).`,
      keys.event === undefined
        ? undefined
        : `The ${profile.eventHeader} header is not signed, so it is never used as the type of a verified event.`,
    );
  }

  const { signedId, signedAt } = d;
  const deliveryHeader = signedId ?? (keys.delivery === undefined ? undefined : singleHeader(headers, keys.delivery));
  const deliveryId = typeof deliveryHeader === 'string' ? deliveryHeader : undefined;
  const vendor = profile.id;
  const raw = text;
  const payloadId = profile.idField === undefined ? undefined : record[profile.idField];
  if (typeof payloadId === 'string' && payloadId !== '') {
    d.event = { vendor, type, documented, id: payloadId, idSource: 'payload', deliveryId, signedAt, payload, raw };
  } else if (signedId !== undefined) {
    // An id header the MAC covers (Standard Webhooks' webhook-id), the same on every retry.
    d.event = { vendor, type, documented, id: signedId, idSource: 'signed-header', deliveryId, signedAt, payload, raw };
  } else if (cryptoPort.runtime === 'node') {
    // No id in the body: a digest of the raw body alone, never of the MAC (which depends on
    // the secret that matched: one event would get one id per secret during rotation).
    d.event = new BodyDigestEvent(vendor, type, documented, deliveryId, signedAt, payload, raw, body);
  } else {
    // Web Crypto's digest is a promise: the id is computed before the result resolves.
    const idSource = 'body-digest' as const;
    const draft = { vendor, type, documented, id: '', idSource, deliveryId, signedAt, payload, raw };
    return chainWith(cryptoPort.sha256(body), withDigestId, d, draft);
  }
  return undefined;
}

function withDigestId(digest: Uint8Array, d: Delivery, draft: Draft): undefined {
  d.event = { ...draft, id: bodyDigestId(digest) };
  return undefined;
}

// --- 7. schema (opt-in) ----------------------------------------------------------------------------

function validate(d: Delivery): MaybePromise<Failed | undefined> {
  const schema = schemaFor(d.plan.schema, d.event!.type);
  return schema === undefined ? undefined : validateWith(d, schema, d.event!);
}

async function validateWith(d: Delivery, schema: StandardSchemaV1, draft: Draft): Promise<Failed | undefined> {
  let result: Awaited<ReturnType<StandardSchemaV1['~standard']['validate']>>;
  try {
    result = await schema['~standard'].validate(draft.payload);
  } catch (cause) {
    // A validator that throws is a bug on the receiving side, not a bad payload:
    // a 5xx makes the vendor retry instead of dropping the event on a 4xx.
    const message = `The payload schema for ${draft.type} threw instead of returning issues.`;
    const hint = 'Fix the schema (see error.cause); Standard Schema validators report problems as issues.';
    const vendor = d.plan.profile.id;
    return { ok: false as const, error: new WebhookError('handler_error', message, { vendor, cause, hint }) };
  }
  if (result.issues !== undefined) {
    return fail(d, 'invalid_payload', `The ${draft.type} payload does not match the schema.`, undefined, result.issues);
  }
  draft.payload = result.value;
  return undefined;
}
