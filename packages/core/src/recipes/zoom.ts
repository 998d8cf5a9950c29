import type { SigningScheme } from '../scheme.js';
import { recipe, type LoosePayload } from './recipe.js';

const PAGE = 'Zoom Developer docs, "Using webhooks", section "Verify webhook events"';

/** `x-zm-signature: v0=<hex>` over `v0:<x-zm-request-timestamp>:<raw body>`, keyed by the secret token. */
export const zoomScheme: SigningScheme = {
  algorithm: 'sha256',
  secretEncoding: 'utf8',
  signedContent: 'v0:{timestamp}:{body}',
  signature: { header: 'x-zm-signature', prefix: 'v0=', encoding: 'hex' },
  timestamp: { header: 'x-zm-request-timestamp', format: 'unix-s' },
};

/** Any event (`event`, e.g. `meeting.started`); payloads typed loosely. */
export type ZoomEvents = { readonly [type: string]: LoosePayload };

/** Zoom webhooks (recipe). The `endpoint.url_validation` challenge verifies like any event; answering it is the app's. */
export const zoom = /* @__PURE__ */ recipe<ZoomEvents, 'zoom'>(() => ({
  id: 'zoom',
  name: 'Zoom',
  docsUrl: 'https://developers.zoom.us/docs/api/webhooks/',
  source: PAGE,
  scheme: zoomScheme,
  toleranceSec: 300,
  typeFields: ['event'],
  notes: {
    toleranceSec: { assumed: 'the page signs the timestamp but names no window; five minutes, as Slack and Stripe' },
  },
}));
