import type { PipelineOptions } from './pipeline.js';
import { setupError, type WebhookError } from './errors.js';
import type { MaybePromise } from './maybe.js';
import { resolveVendor } from './resolve.js';
import { schemeOf } from './scheme.js';
import { checkSecretCacheMs, checkSecretTimeoutMs, secretLookup, type SecretResolver } from './secret-source.js';
import type { Secrets, VendorRef } from './types.js';
import { planVerify, type VerifyOptions, type VerifyPlan } from './verify.js';
import type { VendorProfile } from './vendors/profile.js';
import { vendors, vendorIds, type VendorId } from './vendors/index.js';

// The setup of the pipeline's vendor and secret stages (pipeline.ts): which profiles a
// delivery may come from, and the checker (signature verifier) for each with its secret.

function isSecrets(value: unknown): value is Secrets {
  // A Uint8Array is one secret (raw key bytes), not a per-vendor map.
  return typeof value === 'string' || Array.isArray(value) || value instanceof Uint8Array;
}

/** The vendor stage's setup: one profile, several (told apart by signature header), or `'auto'`. */
export function resolveVendors(
  vendor: PipelineOptions['vendor'],
  secret: PipelineOptions['secret'],
): readonly VendorProfile[] {
  if (vendor === undefined) {
    throw setupError(
      `\`vendor\` is required: one of ${vendorIds.map((v) => `'${v}'`).join(', ')}, a profile from defineVendor(), an array of them, or 'auto'.`,
    );
  }
  if (vendor === 'auto') {
    if (typeof secret === 'object' && secret !== null && !isSecrets(secret)) {
      const ids = Object.keys(secret);
      if (ids.length === 0)
        throw setupError(
          '`secret` is an empty map: add one entry per vendor, e.g. { aidelly: process.env.AIDELLY_SECRET }.',
        );
      return ids.map((id) => resolveVendor(id as VendorId));
    }
    return vendorIds.map((id) => vendors[id]);
  }
  if (!Array.isArray(vendor)) return [resolveVendor(vendor as VendorRef)];
  if (vendor.length === 0) throw setupError("`vendor` is an empty array: list at least one vendor, or use 'auto'.");
  const profiles = (vendor as readonly VendorRef[]).map((v) => resolveVendor(v));
  const ids = new Set<string>();
  for (const p of profiles) {
    if (ids.has(p.id)) throw setupError(`\`vendor\` lists ${JSON.stringify(p.id)} twice: list each vendor once.`);
    ids.add(p.id);
  }
  return profiles;
}

export function checkSecretShape(options: PipelineOptions): void {
  const { secret } = options;
  if (secret === undefined && options.allowUnsigned !== true) {
    throw setupError(
      '`secret` is required: the signing secret from the vendor dashboard (e.g. process.env.WEBHOOK_SECRET), an array during rotation, a map per vendor, or an async function for a secret manager.',
    );
  }
  if (
    secret !== undefined &&
    !isSecrets(secret) &&
    typeof secret !== 'function' &&
    (typeof secret !== 'object' || secret === null)
  ) {
    throw setupError(
      `\`secret\` is ${secret === null ? 'null' : typeof secret}: pass a string, an array of strings, a map per vendor id, or a function.`,
    );
  }
}

/**
 * Two vendors that sign the same content (by their profiles' `signedContent`, e.g. the
 * raw body alone) must not share a secret on one route: a delivery captured from one,
 * re-sent with the other's signature header, would verify as the other vendor's event.
 */
export function checkSharedSecret(profiles: readonly VendorProfile[], secret: PipelineOptions['secret']): void {
  if (profiles.length < 2 || secret === undefined || typeof secret === 'function') return;
  const shared = isSecrets(secret);
  // Empty or non-string entries are left to the per-vendor check, which names them.
  const secretsOf = (p: VendorProfile): readonly unknown[] =>
    (shared ? [secret].flat() : [(secret as Record<string, Secrets | undefined>)[p.id] ?? []].flat()).filter(
      (s) => typeof s === 'string' && s !== '',
    );
  for (const [i, a] of profiles.entries()) {
    for (const b of profiles.slice(i + 1)) {
      if (!sameSignedContent(a, b)) continue;
      const theirs = new Set(secretsOf(b));
      if (!secretsOf(a).some((s) => theirs.has(s))) continue;
      const same = profiles.filter((p) => sameSignedContent(p, a)).map((p) => p.id);
      const what = a.signedContent === 'body' ? 'the raw body alone' : `the same content (${a.signedContent})`;
      throw setupError(
        `${same.join(', ')} all sign ${what}, so with one secret a delivery captured from one would verify as another. Give each vendor its own secret: secret: { ${same.map((id) => `${id}: process.env.${id.toUpperCase().replaceAll('-', '_')}_WEBHOOK_SECRET`).join(', ')} }.`,
      );
    }
  }
}

/** Same MAC input and key for the same secret: the scheme's template, hash and secret encoding. */
function sameSignedContent(a: VendorProfile, b: VendorProfile): boolean {
  const x = schemeOf(a);
  const y = schemeOf(b);
  return x.signedContent === y.signedContent && x.algorithm === y.algorithm && x.secretEncoding === y.secretEncoding;
}

const PIPELINE_ONLY = [
  'vendor',
  'secret',
  'secretCacheMs',
  'secretTimeoutMs',
  'bodyTimeoutMs',
  'allowIps',
  'trustProxy',
  'dedupe',
  'dedupeTtlMs',
  'claimTtlMs',
  'handlerTimeoutMs',
  'earlyAck',
  'onError',
  'onEvent',
];

/** The options the verify stage's checker takes for one vendor and its secret. */
function verifyOptionsFor(
  options: PipelineOptions,
  profile: VendorProfile,
  secret: Secrets | undefined,
): VerifyOptions<VendorRef> {
  const rest: Record<string, unknown> = { ...options };
  for (const key of PIPELINE_ONLY) delete rest[key];
  return { ...rest, vendor: profile, ...(secret === undefined ? {} : { secret }) } as VerifyOptions<VendorRef>;
}

export type SecretStage = (profile: VendorProfile) => MaybePromise<VerifyPlan | WebhookError>;

/** The secret stage's setup: one checker per vendor for static secrets, a cached lookup per vendor for a function. */
export function secretStage(options: PipelineOptions, profiles: readonly VendorProfile[]): SecretStage {
  const { secret } = options;
  if (typeof secret === 'function') {
    const resolver = secret as SecretResolver<VendorRef>;
    const cacheMs = checkSecretCacheMs(options.secretCacheMs);
    const timeoutMs = checkSecretTimeoutMs(options.secretTimeoutMs);
    const clock = typeof options.now === 'function' ? options.now : Date.now;
    const lookups = new Map<string, () => Promise<VerifyPlan | WebhookError>>();
    for (const profile of profiles) {
      // Every other option is checked now, with a stand-in secret, so mistakes surface at setup.
      planVerify(verifyOptionsFor(options, profile, 'stand-in'));
      lookups.set(
        profile.id,
        secretLookup(
          profile.id,
          resolver,
          (s) => planVerify(verifyOptionsFor(options, profile, s)),
          cacheMs,
          clock,
          timeoutMs,
        ),
      );
    }
    return (profile) => lookups.get(profile.id)!();
  }
  checkSecretCacheMs(options.secretCacheMs);
  checkSecretTimeoutMs(options.secretTimeoutMs);
  const checks = new Map<string, VerifyPlan>();
  for (const profile of profiles) {
    let own: Secrets | undefined;
    if (secret === undefined || isSecrets(secret)) {
      own = secret;
    } else {
      own = (secret as Record<string, Secrets | undefined>)[profile.id];
      if (own === undefined) {
        throw setupError(
          `\`secret\` has no entry for ${JSON.stringify(profile.id)}: add secret: { ${profile.id}: process.env.${profile.id.toUpperCase()}_WEBHOOK_SECRET, ... }.`,
        );
      }
    }
    checks.set(profile.id, planVerify(verifyOptionsFor(options, profile, own)));
  }
  // One vendor and a static secret: the common case, one map lookup fewer.
  if (profiles.length === 1) {
    const only = checks.get(profiles[0]!.id)!;
    return () => only;
  }
  return (profile) => checks.get(profile.id)!;
}
