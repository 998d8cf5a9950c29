import { setupError } from './errors.js';
import type { VendorProfile } from './vendors/profile.js';
import { vendors, vendorIds } from './vendors/index.js';
import type { Secrets, VendorRef } from './types.js';

/** A `VendorRef` as its profile; an unknown id is a setup error naming the choices. */
export function resolveVendor(ref: VendorRef | undefined): VendorProfile {
  if (typeof ref === 'string') {
    if (Object.prototype.hasOwnProperty.call(vendors, ref)) return vendors[ref as keyof typeof vendors];
    throw setupError(
      `unknown vendor ${JSON.stringify(ref)}. Use one of ${vendorIds.map((v) => `'${v}'`).join(', ')}, or pass a profile: a recipe from '@hookproof/core/recipes' (stripe, github, slack, shopify, paddle, zoom) or your own from defineVendor().`,
    );
  }
  if (
    typeof ref === 'object' &&
    ref !== null &&
    typeof ref.id === 'string' &&
    typeof ref.signatureHeader === 'string'
  ) {
    checkVendorId(ref.id, 'vendor');
    return ref;
  }
  throw setupError(
    `\`vendor\` is required: one of ${vendorIds.map((v) => `'${v}'`).join(', ')}, or a profile from defineVendor().`,
  );
}

/** Secrets as a non-empty list of non-empty strings; anything else is a setup error. */
export function normaliseSecrets(secret: Secrets | undefined, optional = false): readonly (string | Uint8Array)[] {
  // With allowUnsigned, "no secret" may be spelt as undefined or as an empty rotation list.
  if (optional && (secret === undefined || (Array.isArray(secret) && secret.length === 0))) return [];
  const list: readonly unknown[] | undefined =
    typeof secret === 'string' || secret instanceof Uint8Array ? [secret] : Array.isArray(secret) ? secret : undefined;
  if (list === undefined || list.length === 0) {
    throw setupError(
      '`secret` is required: the signing secret from the vendor dashboard, or an array of secrets during rotation (e.g. process.env.WEBHOOK_SECRET).',
    );
  }
  for (const [i, s] of list.entries()) {
    // Raw key bytes (a Uint8Array) are accepted as they are, if not empty.
    if (s instanceof Uint8Array && s.byteLength > 0) continue;
    if (typeof s !== 'string' || s.length === 0) {
      throw setupError(
        `\`secret\`${list.length > 1 ? `[${i}]` : ''} is ${s === '' ? 'an empty string' : typeof s}: pass the signing secret as a non-empty string (is the environment variable set?).`,
      );
    }
  }
  return list as readonly (string | Uint8Array)[];
}

export function checkTolerance(toleranceSec: number | undefined): void {
  if (toleranceSec !== undefined && !(Number.isFinite(toleranceSec) && toleranceSec >= 0)) {
    throw setupError(`\`toleranceSec\` must be a non-negative number of seconds, got ${String(toleranceSec)}.`);
  }
}

export function checkMaxBodyBytes(maxBodyBytes: number | undefined): void {
  if (maxBodyBytes !== undefined && !(Number.isInteger(maxBodyBytes) && maxBodyBytes > 0)) {
    throw setupError(`\`maxBodyBytes\` must be a positive integer, got ${String(maxBodyBytes)}.`);
  }
}

/**
 * Dedupe keys are `<vendor id>:<event id>`: a vendor id holding `:` could make two
 * vendors' keys collide (`a:b` + `c` and `a` + `b:c`), one event swallowing the other.
 */
export function checkVendorId(id: string, where: string): void {
  if (id.includes(':')) {
    throw setupError(
      `${where}: vendor id ${JSON.stringify(id)} contains ":", which dedupe keys (<vendor>:<event id>) use as the separator. Pick an id without ":", e.g. ${JSON.stringify(id.replaceAll(':', '-'))}.`,
    );
  }
}
