import type { VendorProfile } from '@hookproof/core';
import { templateFor } from './envelopes/index.js';
import { deepFreeze, deepMerge } from './merge.js';
import type { Random } from './random.js';
import type { MockEvent } from './types.js';

const encoder = new TextEncoder();

/** `event()`'s third argument: its `undocumentedFields`, checked (a setup error names the fix). */
export function undocumentedFieldsOf(options: unknown): unknown {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      '@hookproof/mock-sender: event(type, overrides, options): options must be an object, e.g. { undocumentedFields: { data: { ad_id: "x" } } }.',
    );
  }
  return (options as { readonly undocumentedFields?: unknown }).undocumentedFields;
}

/**
 * Builds an envelope from the vendor's template, deep-merges the overrides and
 * serialises it once: `bytes` are what is signed and sent, on every attempt.
 */
export function makeEvent(
  profile: VendorProfile,
  random: Random,
  nowMs: number,
  type: string,
  ...overrides: unknown[]
): MockEvent {
  const built = templateFor(profile).build({ type, nowMs, random, profile });
  const payload = deepFreeze(overrides.reduce<ReturnType<typeof deepMerge>>((acc, o) => deepMerge(acc, o), built));
  // A delivery id only where the vendor sends one (Autoposting's X-Autoposting-Delivery; format assumed: uuid).
  const deliveryId = profile.deliveryHeader === undefined ? undefined : random.uuid();
  const body = JSON.stringify(payload);
  return Object.freeze({
    vendor: profile.id,
    type,
    documented: profile.events.includes(type),
    payload,
    body,
    bytes: encoder.encode(body),
    deliveryId,
    createdAt: nowMs,
  });
}

export function rawEvent(
  profile: VendorProfile,
  random: Random,
  nowMs: number,
  body: string | Uint8Array,
  type: string | undefined,
): MockEvent<string, undefined> {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw new TypeError('@hookproof/mock-sender: raw(body) takes a string or a Uint8Array.');
  }
  const bytes = typeof body === 'string' ? encoder.encode(body) : body.slice();
  const t = type ?? '';
  return Object.freeze({
    vendor: profile.id,
    type: t,
    documented: profile.events.includes(t),
    payload: undefined,
    body: typeof body === 'string' ? body : new TextDecoder().decode(bytes),
    bytes,
    deliveryId: profile.deliveryHeader === undefined ? undefined : random.uuid(),
    createdAt: nowMs,
  });
}
