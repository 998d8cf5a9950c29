import type { UndocumentedFields } from '../../fields.js';
import type { VendorProfile } from '../profile.js';

// Sources: the Autoposting.ai API reference, "Create a webhook endpoint" (POST /webhooks,
// docs.autoposting.ai), and the Autoposting.ai docs "Webhooks" concept page
// (docs.autoposting.ai/concepts/webhooks).
const API_REF = 'Autoposting.ai API reference, "Create a webhook endpoint" (POST /webhooks)';
const CONCEPT = 'Autoposting.ai docs, "Webhooks" concept page';

/** No page documents a field of `data`: every key is undocumented and reads as `unknown`. */
export type AutopostingData = UndocumentedFields;

/** The envelope `{ id: "evt_…", event, timestamp (ISO), orgId, data }` of the "Webhooks" concept page. */
export interface AutopostingEnvelope<E extends string = string> {
  readonly id: string;
  readonly event: E;
  readonly timestamp: string;
  readonly orgId: string;
  readonly data: AutopostingData;
}

/**
 * The events of the API reference's `WebhookEventType` enum, the names an endpoint can
 * subscribe to. The "Webhooks" concept page also names `post.partial`, `post.cancelled` and
 * `token.expired`: they are not in the enum and no page shows them, so they arrive as
 * undocumented events (`otherEvents`; `event.documented === false`).
 */
export interface AutopostingEvents {
  'post.published': AutopostingEnvelope<'post.published'>;
  'post.failed': AutopostingEnvelope<'post.failed'>;
  'post.scheduled': AutopostingEnvelope<'post.scheduled'>;
  'clip.render.completed': AutopostingEnvelope<'clip.render.completed'>;
  'clip.render.failed': AutopostingEnvelope<'clip.render.failed'>;
  'agent.run.completed': AutopostingEnvelope<'agent.run.completed'>;
  'agent.run.failed': AutopostingEnvelope<'agent.run.failed'>;
}

export const autoposting: VendorProfile<'autoposting', AutopostingEvents> = {
  id: 'autoposting',
  name: 'Autoposting.ai',
  docsUrl: 'https://docs.autoposting.ai/concepts/webhooks',
  signatureHeader: 'X-Autoposting-Signature',
  signatureEncoding: 'hex',
  signaturePrefix: '',
  signedContent: 'timestamp.body',
  timestampHeader: 'X-Autoposting-Timestamp',
  timestampFormat: 'unix-s',
  toleranceSec: 300,
  unsigned: 'opt-in',
  eventHeader: 'X-Autoposting-Event',
  deliveryHeader: 'X-Autoposting-Delivery',
  typeFields: ['event'],
  idField: 'id',
  timeField: 'timestamp',
  events: [
    'post.published',
    'post.failed',
    'post.scheduled',
    'clip.render.completed',
    'clip.render.failed',
    'agent.run.completed',
    'agent.run.failed',
  ],
  // One rule for the three names only the concept page lists: outside the enum, so
  // delivered as undocumented events (a "*" subscription receives them).
  otherEvents: ['post.partial', 'post.cancelled', 'token.expired'],
  retry: {
    delaysSec: [300, 1800, 7200, 18000, 36000],
    delayFrom: 'attempt-end',
    timeoutIsFailure: true,
    stopOn: [],
  },
  timeoutMs: 10_000,
  customHeaders: undefined,
  disableAfterFailures: 5,
  api: {
    baseUrl: 'https://app.autoposting.ai/api-proxy',
    method: 'POST',
    path: '/webhooks',
    requiredHeaders: [],
    returnsSecret: false,
  },
  secretKey: 'utf8-string',
  secretSource: 'request',
  provenance: {
    signatureHeader: {
      documented: `${API_REF}: with a secret, each delivery includes an X-Autoposting-Signature header (HMAC-SHA256)`,
    },
    signatureEncoding: {
      assumed: 'no page states the encoding; we sign lowercase hex and verification accepts hex or base64',
    },
    signaturePrefix: { assumed: 'no page shows a prefix; we write none and verification accepts sha256= or v1= too' },
    signedContent: { documented: `${CONCEPT}: HMAC-SHA256 of "<timestamp>.<raw body>"` },
    timestampHeader: { documented: `${CONCEPT}: the timestamp is sent in X-Autoposting-Timestamp` },
    timestampFormat: {
      assumed: 'no page states the format; we send unix seconds and verification accepts unix s, unix ms and ISO-8601',
    },
    toleranceSec: {
      documented: `${CONCEPT}: reject deliveries older than 5 minutes. Assumed: the same window for timestamps in the future`,
    },
    unsigned: {
      documented: `${API_REF}: \`secret\` is optional and deliveries are signed "if provided", so unsigned deliveries exist`,
    },
    eventHeader: { documented: `${CONCEPT}: the event name is sent in X-Autoposting-Event` },
    deliveryHeader: { documented: `${CONCEPT}: a delivery id is sent in X-Autoposting-Delivery` },
    typeFields: { documented: `${CONCEPT}: the envelope's \`event\`` },
    idField: { documented: `${CONCEPT}: the envelope's \`id\` ("evt_…")` },
    timeField: { documented: `${CONCEPT}: the envelope's \`timestamp\` (ISO)` },
    events: { documented: `${API_REF}: the WebhookEventType enum, seven events ("*" subscribes to all)` },
    otherEvents: {
      documented: `${CONCEPT}: also lists post.partial, post.cancelled and token.expired, which the API reference's enum lacks and no page shows; delivered as undocumented events`,
    },
    retry: {
      documented: `${CONCEPT}: retries after about 5 min, 30 min, 2 h, 5 h and 10 h. Assumed: each delay counts from the end of the failed attempt, and a timeout is a failed attempt`,
    },
    timeoutMs: { assumed: 'no page gives a deadline; 10 s, like Aidelly' },
    customHeaders: {
      assumed: 'no page says whether users can add delivery headers; the mock sender sends `headers` if you pass them',
    },
    disableAfterFailures: {
      assumed: `${CONCEPT}: repeated failures disable the endpoint, with no number given; we disable after 5 consecutive failed deliveries`,
    },
    api: {
      documented: `${API_REF}: POST https://app.autoposting.ai/api-proxy/webhooks, with url, events and an optional secret`,
    },
    secretKey: {
      assumed: `${API_REF}: the example secret is "whsec_your_signing_secret"; how it keys the HMAC is not said. We use the whole string as UTF-8, whsec_ included, not base64-decoded`,
    },
    secretSource: { documented: `${API_REF}: the app may send its own \`secret\` in the request body` },
  },
};
