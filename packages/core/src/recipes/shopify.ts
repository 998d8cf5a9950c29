import type { SigningScheme } from '../scheme.js';
import { recipe, type LoosePayload } from './recipe.js';

const PAGE = 'Shopify.dev, "Deliver webhooks through HTTPS", section "Verify the webhook"';

/** `X-Shopify-Hmac-SHA256: <base64>` over the raw body, keyed by the app's client secret. */
export const shopifyScheme: SigningScheme = {
  algorithm: 'sha256',
  secretEncoding: 'utf8',
  signedContent: '{body}',
  signature: { header: 'X-Shopify-Hmac-Sha256', prefix: '', encoding: 'base64' },
};

/** Any topic (the `X-Shopify-Topic` header, e.g. `orders/create`); payloads typed loosely. */
export type ShopifyEvents = { readonly [topic: string]: LoosePayload };

/**
 * Shopify webhooks (recipe). The topic is only in `X-Shopify-Topic`, which the signature
 * does not cover (`typeFromEventHeader`): check `payload` before acting on it.
 */
export const shopify = /* @__PURE__ */ recipe<ShopifyEvents, 'shopify'>(() => ({
  id: 'shopify',
  name: 'Shopify',
  docsUrl: 'https://shopify.dev/docs/apps/build/webhooks/subscribe/https',
  source: PAGE,
  scheme: shopifyScheme,
  toleranceSec: undefined,
  typeFields: [],
  eventHeader: 'X-Shopify-Topic',
  deliveryHeader: 'X-Shopify-Webhook-Id',
  typeFromEventHeader: true,
  notes: {
    toleranceSec: { documented: `${PAGE}: no timestamp is signed, so there is no replay window` },
    typeFields: { documented: `${PAGE}: the topic is sent in X-Shopify-Topic, not in the body` },
  },
}));
