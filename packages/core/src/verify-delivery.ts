import { WebhookError } from './errors.js';
import type { Draft } from './event.js';
import type { HeadersLike } from './headers.js';
import type { VerifyPlan } from './verify.js';

/** What a step of `verify` returns to stop: the failure `verify` resolves. */
export type Failed = { readonly ok: false; readonly error: WebhookError };

/** One delivery on its way through `verify`'s steps (verify-steps.ts), filled in as each passes. */
export interface Delivery {
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

export type Code = ConstructorParameters<typeof WebhookError>[0];

/** A step's failure, with the vendor's id on the error. */
export function fail(d: Delivery, code: Code, message: string, hint?: string, details?: unknown): Failed {
  return { ok: false as const, error: new WebhookError(code, message, { vendor: d.plan.profile.id, hint, details }) };
}
