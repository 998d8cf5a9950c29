import type { SigningScheme } from '../scheme.js';
import { recipe, type LoosePayload } from './recipe.js';

const PAGE = 'GitHub Docs, "Validating webhook deliveries"';
const HEADERS = 'GitHub Docs, "Webhook events and payloads", section "Delivery headers"';

/** `X-Hub-Signature-256: sha256=<hex>` over the raw body, keyed by the secret string. */
export const githubScheme: SigningScheme = {
  algorithm: 'sha256',
  secretEncoding: 'utf8',
  signedContent: '{body}',
  signature: { header: 'X-Hub-Signature-256', prefix: 'sha256=', encoding: 'hex' },
};

/** Any event type (the `X-GitHub-Event` header); payloads typed loosely. */
export type GithubEvents = { readonly [type: string]: LoosePayload };

/**
 * GitHub webhooks (recipe). GitHub names the event only in `X-GitHub-Event`, a header the
 * signature does not cover: the type is read from it (`typeFromEventHeader`), so a captured
 * delivery could be replayed under another event name; check `payload` before acting on it.
 */
export const github = /* @__PURE__ */ recipe<GithubEvents, 'github'>(() => ({
  id: 'github',
  name: 'GitHub',
  docsUrl: 'https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries',
  source: PAGE,
  scheme: githubScheme,
  toleranceSec: undefined,
  typeFields: [],
  eventHeader: 'X-GitHub-Event',
  deliveryHeader: 'X-GitHub-Delivery',
  typeFromEventHeader: true,
  notes: {
    toleranceSec: { documented: `${PAGE}: no timestamp is signed, so there is no replay window` },
    eventHeader: { documented: `${HEADERS}: X-GitHub-Event` },
    deliveryHeader: { documented: `${HEADERS}: X-GitHub-Delivery (a GUID, not signed)` },
    typeFields: { documented: `${HEADERS}: payloads carry no event name; it is in X-GitHub-Event only` },
  },
}));
