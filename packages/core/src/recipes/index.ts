// Public API of @hookproof/core/recipes: profiles for vendors whose signing schemes are
// published, each usable wherever a vendor is (`verify({ vendor: stripe, ... })`).
// Importing this entry point is what adds them to a bundle; `@hookproof/core` alone does not.
import type { VendorProfile } from '../vendors/profile.js';
import { github } from './github.js';
import { paddle } from './paddle.js';
import { shopify } from './shopify.js';
import { slack } from './slack.js';
import { stripe } from './stripe.js';
import { zoom } from './zoom.js';

export { github, githubScheme } from './github.js';
export type { GithubEvents } from './github.js';
export { paddle, paddleScheme } from './paddle.js';
export type { PaddleEvents, PaddleEventPayload } from './paddle.js';
export { shopify, shopifyScheme } from './shopify.js';
export type { ShopifyEvents } from './shopify.js';
export { slack, slackScheme } from './slack.js';
export type { SlackEvents } from './slack.js';
export { stripe, stripeScheme } from './stripe.js';
export type { StripeEvents, StripeEventPayload } from './stripe.js';
export { zoom, zoomScheme } from './zoom.js';
export type { ZoomEvents } from './zoom.js';
export type { LoosePayload } from './recipe.js';

/** Every recipe, e.g. for `detectVendor(headers, [...recipes])`. */
export const recipes: readonly VendorProfile[] = [stripe, github, slack, shopify, paddle, zoom];
