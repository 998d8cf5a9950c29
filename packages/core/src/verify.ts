import { setupError } from './errors.js';
import type { HeadersLike } from './headers.js';
import { promised } from './maybe.js';
import { checkOptionKeys } from './options.js';
import { checkMaxBodyBytes, checkTolerance, normaliseSecrets, resolveVendor } from './resolve.js';
import type { PayloadSchema } from './schema.js';
import { schemeOf, secretEncodingHint, secretKey, type CompiledScheme, type HmacKey } from './scheme.js';
import type { Secrets, VendorRef, VerifyResult } from './types.js';
import { verifyWith } from './verify-steps.js';
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
    'allowUnsigned: true with a secret: anyone could remove the signature header and be accepted. ' +
      `Either drop the secret while the ${vendorName} webhook is unsigned, or drop allowUnsigned once it is signed ` +
      '(to switch without losing deliveries, deploy with allowUnsigned and no secret, ' +
      `set the secret at ${vendorName}, ` +
      'then deploy with the secret and without allowUnsigned).',
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
   * For Audenci's custom delivery headers, e.g. `{ authorization: 'Bearer …' }`
   * (its help page, "Webhook Authentication").
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

/** `verify`'s options, checked once: what `verifyWith` (verify-steps.ts) runs each delivery against. */
export interface VerifyPlan {
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

const NO_REQUIRED: VerifyPlan['required'] = [];

/** Checks `verify`'s options (a `TypeError` naming the fix) into a plan; the pipeline keeps one per vendor/secret. */
export function planVerify(options: VerifyOptions): VerifyPlan {
  if (typeof options !== 'object' || options === null) {
    throw setupError('verify() takes one object: { vendor, secret, body, headers }.');
  }
  const profile = resolveVendor(options.vendor);
  const allowUnsigned = options.allowUnsigned === true;
  if (allowUnsigned && profile.unsigned !== 'opt-in') {
    throw setupError(
      'allowUnsigned is only for vendors that send unsigned deliveries (autoposting); ' +
        `${profile.name} always signs, so remove the option.`,
    );
  }
  checkTolerance(options.toleranceSec);
  checkMaxBodyBytes(options.maxBodyBytes);
  const requiredHeaders = options.requiredHeaders;
  const required =
    requiredHeaders === undefined || requiredHeaders === null
      ? NO_REQUIRED
      : Object.entries(requiredHeaders).map(([k, v]) => {
          if (typeof v !== 'string' || v === '') {
            throw setupError(`requiredHeaders[${JSON.stringify(k)}] must be a non-empty string.`);
          }
          return [k, v] as const;
        });
  const scheme = schemeOf(profile);
  // A signed timestamp is always checked: a profile without a window gets the default one.
  const tolerance =
    options.toleranceSec ??
    profile.toleranceSec ??
    (scheme.timestamp !== undefined ? DEFAULT_TOLERANCE_SEC : undefined);
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
      const which = secrets.length > 1 ? `[${i}]` : '';
      throw setupError(`\`secret\`${which} does not decode: ${secretEncodingHint(scheme.secretEncoding)}.`);
    }
    return key;
  });
}

/** Checks options once (throws `TypeError` on programmer errors) and returns a verifier that never throws. */
export function createVerifier<V extends VendorRef = VendorId>(options: VerifyOptions<V>): Verifier<V> {
  checkOptionKeys(options, 'createVerifier');
  const plan = planVerify(options);
  return (body, headers) => promised(verifyWith(plan, body, headers)) as Promise<VerifyResult<V>>;
}

/**
 * Verifies one delivery and turns it into a typed event. Resolves `{ ok: false, error }`
 * for anything a network peer controls; throws only for setup mistakes in the options
 * (no secret, unknown vendor, `allowUnsigned` together with a secret, ...), as a
 * `TypeError` that names the fix, like `createVerifier` and `createReceiver`: the
 * options are the caller's code, not peer input. The steps: verify-steps.ts.
 */
export function verify<V extends VendorRef = VendorId>(input: VerifyInput<V>): Promise<VerifyResult<V>> {
  checkOptionKeys(input, 'verify');
  const plan = planVerify(input);
  return promised(verifyWith(plan, input.body, input.headers)) as Promise<VerifyResult<V>>;
}
