import { cryptoPort } from './crypto-node.js';
import { WebhookError } from './errors.js';
import type { Draft } from './event.js';
import { singleHeader, type HeadersLike } from './headers.js';
import { chainWith, type MaybePromise } from './maybe.js';
import { schemaFor, type StandardSchemaV1 } from './schema.js';
import type { VendorRef, VerifyResult, WebhookEvent } from './types.js';
import { fail, type Delivery, type Failed } from './verify-delivery.js';
import { parseEvent } from './verify-event.js';
import { signature } from './verify-signature.js';
import type { VerifyPlan } from './verify.js';

/**
 * `verify`'s steps, in order, over one `Delivery`. Each fills in the delivery and returns
 * `undefined` to go on, or returns the failure (or a promise of either: the rest then runs
 * once it resolves). Direct calls, not a loop over an array of steps: a call site that
 * sees seven functions is not inlined (bench/README.md#the-synchronous-path). The signature
 * step is in verify-signature.ts, the event step in verify-event.ts, the rest below.
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
