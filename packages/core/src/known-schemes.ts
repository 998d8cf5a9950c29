/**
 * The signing schemes `diagnose()` recognises besides the configured vendor's: every
 * built-in vendor's, and each recipe's. Only the scheme data of a recipe is imported here
 * (its profile is a pure call that bundlers drop), so `diagnose` does not pull the recipes
 * into an app that does not import `@hookproof/core/recipes`.
 */
import { fieldsFromScheme, type SigningScheme } from './scheme.js';
import { githubScheme } from './recipes/github.js';
import { paddleScheme } from './recipes/paddle.js';
import { shopifyScheme } from './recipes/shopify.js';
import { slackScheme } from './recipes/slack.js';
import { stripeScheme } from './recipes/stripe.js';
import { zoomScheme } from './recipes/zoom.js';
import type { VendorProfile } from './vendors/profile.js';
import { vendorIds, vendors } from './vendors/index.js';

/** A scheme to try, and how to name it in a finding. */
export interface KnownScheme {
  readonly id: string;
  readonly name: string;
  /** How to use it, e.g. `vendor: 'standard-webhooks'` or `recipes.stripe from '@hookproof/core/recipes'`. */
  readonly use: string;
  readonly builtIn: boolean;
  readonly profile: VendorProfile;
}

const RECIPES: readonly [string, string, SigningScheme, number | undefined][] = [
  ['stripe', 'Stripe', stripeScheme, 300],
  ['github', 'GitHub', githubScheme, undefined],
  ['slack', 'Slack', slackScheme, 300],
  ['shopify', 'Shopify', shopifyScheme, undefined],
  ['paddle', 'Paddle', paddleScheme, 5],
  ['zoom', 'Zoom', zoomScheme, 300],
];

/** A profile that only checks a scheme, whatever the body and its type (diagnose asks whether the signature fits, nothing more). */
function checkingProfile(
  id: string,
  name: string,
  scheme: SigningScheme,
  toleranceSec: number | undefined,
): VendorProfile {
  return {
    id,
    name,
    scheme,
    ...fieldsFromScheme(scheme),
    toleranceSec,
    unsigned: 'refuse',
    eventHeader: undefined,
    deliveryHeader: undefined,
    typeFields: [],
    idField: undefined,
    timeField: undefined,
    events: [],
    otherEvents: [],
    openEvents: true,
    untypedEvent: 'untyped',
    bodyFormat: 'json-or-form',
    retry: { delaysSec: [], delayFrom: 'attempt-end', timeoutIsFailure: true, stopOn: [] },
    timeoutMs: 10_000,
    customHeaders: undefined,
    disableAfterFailures: undefined,
    api: undefined,
    secretSource: 'outside-api',
    provenance: {} as VendorProfile['provenance'],
  };
}

let known: readonly KnownScheme[] | undefined;

/** Built-ins first, then recipes; built lazily, once. */
export function knownSchemes(): readonly KnownScheme[] {
  return (known ??= [
    ...vendorIds.map((id) => ({
      id,
      name: vendors[id].name,
      use: `vendor: '${id}'`,
      builtIn: true,
      profile: vendors[id] as VendorProfile,
    })),
    ...RECIPES.map(([id, name, scheme, tolerance]) => ({
      id,
      name,
      use: `recipes.${id} from '@hookproof/core/recipes'`,
      builtIn: false,
      profile: checkingProfile(id, name, scheme, tolerance),
    })),
  ]);
}
