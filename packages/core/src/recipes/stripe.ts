import type { SigningScheme } from '../scheme.js';
import { recipe, type LoosePayload } from './recipe.js';

const PAGE =
  'Stripe docs, "Receive Stripe events in your webhook endpoint", section "Verify webhook signatures manually"';

/** `Stripe-Signature: t=<unix s>,v1=<hex>[,v1=<hex>…]` over `<t>.<raw body>`, keyed by the whole `whsec_…` string. */
export const stripeScheme: SigningScheme = {
  algorithm: 'sha256',
  secretEncoding: 'utf8',
  signedContent: '{timestamp}.{body}',
  // Several v1= entries during a secret roll; v0= is Stripe's test-mode scheme, never tried here.
  signature: { header: 'Stripe-Signature', prefix: 'v1=', separator: ',', encoding: 'hex' },
  timestamp: { key: 't', format: 'unix-s' },
};

/** A Stripe event object, typed loosely: `type`, `id` and `data.object`; Stripe's own union is not maintained here. */
export interface StripeEventPayload extends LoosePayload {
  readonly id: string;
  readonly type: string;
  readonly data: { readonly object: LoosePayload; readonly [key: string]: unknown };
}
/** Any event type; payloads typed loosely. */
export type StripeEvents = { readonly [type: string]: StripeEventPayload };

/** Stripe webhooks (recipe). */
export const stripe = /* @__PURE__ */ recipe<StripeEvents, 'stripe'>(() => ({
  id: 'stripe',
  name: 'Stripe',
  docsUrl: 'https://docs.stripe.com/webhooks#verify-manually',
  source: PAGE,
  scheme: stripeScheme,
  toleranceSec: 300,
  typeFields: ['type'],
  idField: 'id',
  notes: { toleranceSec: { documented: `${PAGE}: the libraries' default tolerance is five minutes` } },
}));
