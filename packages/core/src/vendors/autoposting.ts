import type { VendorProfile } from './profile.js';

// Sources: seed 000 (OpenAPI `POST /webhooks`) and the concept page
// docs.autoposting.ai/concepts/webhooks as summarised in VENDORS.md.

/** Payload data is not documented beyond the envelope: every field is `unknown`. */
export type AutopostingData = { readonly [key: string]: unknown };

/** The documented envelope `{ id: "evt_…", event, timestamp (ISO), orgId, data }` (concept page). */
export interface AutopostingEnvelope<E extends string = string> {
  readonly id: string;
  readonly event: E;
  readonly timestamp: string;
  readonly orgId: string;
  readonly data: AutopostingData;
}

/** Events from the seed 000 enum, plus the three the concept page adds. */
export interface AutopostingEvents {
  'post.published': AutopostingEnvelope<'post.published'>;
  'post.failed': AutopostingEnvelope<'post.failed'>;
  'post.scheduled': AutopostingEnvelope<'post.scheduled'>;
  'clip.render.completed': AutopostingEnvelope<'clip.render.completed'>;
  'clip.render.failed': AutopostingEnvelope<'clip.render.failed'>;
  'agent.run.completed': AutopostingEnvelope<'agent.run.completed'>;
  'agent.run.failed': AutopostingEnvelope<'agent.run.failed'>;
  'post.cancelled': AutopostingEnvelope<'post.cancelled'>;
  'token.expired': AutopostingEnvelope<'token.expired'>;
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
    'post.cancelled',
    'token.expired',
  ],
  // Listed on the concept page but with a shape we cannot type from any text:
  // delivered as an undocumented event (DESIGN.md names post.partial as the example).
  otherEvents: ['post.partial'],
  retry: {
    delaysSec: [300, 1800, 7200, 18000, 36000],
    delayFrom: 'attempt-end',
    timeoutIsFailure: true,
    stopOn: [],
  },
  timeoutMs: 10_000,
  customHeaders: false,
  disableAfterFailures: 5,
  api: {
    baseUrl: 'https://app.autoposting.ai/api-proxy',
    method: 'POST',
    path: '/webhooks',
    requiredHeaders: [],
    returnsSecret: false,
  },
  provenance: {
    signatureHeader: { documented: 'seed 000: X-Autoposting-Signature' },
    signatureEncoding: { assumed: 'encoding not documented; we sign lowercase hex and accept hex/base64' },
    signaturePrefix: { assumed: 'no prefix is documented' },
    signedContent: { documented: 'concept page: HMAC-SHA256 of "<timestamp>.<raw body>"' },
    timestampHeader: { documented: 'concept page: X-Autoposting-Timestamp' },
    timestampFormat: { assumed: 'format not stated; we send unix seconds and accept unix s, unix ms and ISO-8601' },
    toleranceSec: { documented: 'concept page: reject if older than 5 minutes; applied both ways (assumed for the future side)' },
    unsigned: { documented: 'seed 000: secret optional; "if provided" deliveries are signed' },
    eventHeader: { documented: 'concept page: X-Autoposting-Event' },
    deliveryHeader: { documented: 'concept page: X-Autoposting-Delivery' },
    typeFields: { documented: 'concept page envelope: event' },
    idField: { documented: 'concept page envelope: id ("evt_…")' },
    timeField: { documented: 'concept page envelope: timestamp (ISO)' },
    events: { documented: 'seed 000 WebhookEventType enum + concept page' },
    otherEvents: { documented: 'concept page lists post.partial without a payload' },
    retry: { documented: 'concept page: about 5 min, 30 min, 2 h, 5 h, 10 h (counted from the failed attempt: assumed)' },
    timeoutMs: { assumed: 'no deadline documented; 10 s like Aidelly' },
    customHeaders: { assumed: 'no custom delivery headers documented' },
    disableAfterFailures: {
      assumed:
        'Autoposting.ai docs, "Webhooks" concept page: repeated failures disable the endpoint, with no number given; we disable after 5 consecutive failed deliveries',
    },
    api: { documented: 'seed 000: POST https://app.autoposting.ai/api-proxy/webhooks' },
  },
};
