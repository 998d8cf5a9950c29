import type { VendorProfile } from './profile.js';

// Source: seed 002 (Audenci tutorial: webhook integrations and REST API usage).

/** `post.published` data exactly as the seed 002 example shows it. */
export interface AudenciPostPublishedData {
  readonly postId: string;
  readonly title: string;
  readonly platforms: readonly string[];
  readonly scheduledFor: string;
  readonly platformResults: {
    readonly [platform: string]: { readonly success: boolean; readonly postId?: string; readonly [key: string]: unknown };
  };
  readonly [key: string]: unknown;
}

/** Data of the events seed 002 only names: not documented, so open. */
export type AudenciData = { readonly [key: string]: unknown };

/**
 * The documented envelope (seed 002). The text also promises "User ID (who
 * triggered the event)" but the example has none, so `userId` is optional.
 */
export interface AudenciEnvelope<E extends string = string, D = AudenciData> {
  readonly event: E;
  readonly timestamp: string;
  readonly data: D;
  readonly organizationId: string;
  readonly brandId: string;
  readonly userId?: string;
}

/** Audenci's documented events (seed 002), name -> payload; two are marked coming soon. */
export interface AudenciEvents {
  'post.created': AudenciEnvelope<'post.created'>;
  'post.published': AudenciEnvelope<'post.published', AudenciPostPublishedData>;
  'post.failed': AudenciEnvelope<'post.failed'>;
  'post.status_changed': AudenciEnvelope<'post.status_changed'>;
  'campaign.started': AudenciEnvelope<'campaign.started'>;
  'campaign.ended': AudenciEnvelope<'campaign.ended'>;
  'analytics.updated': AudenciEnvelope<'analytics.updated'>;
  'follower.milestone': AudenciEnvelope<'follower.milestone'>;
  /** Coming soon (seed 002). */
  'comment.received': AudenciEnvelope<'comment.received'>;
  /** Coming soon (seed 002). */
  'mention.detected': AudenciEnvelope<'mention.detected'>;
}

export const audenci: VendorProfile<'audenci', AudenciEvents> = {
  id: 'audenci',
  name: 'Audenci',
  docsUrl: 'https://docs.audenci.com/webhooks',
  signatureHeader: 'X-Audenci-Signature',
  signatureEncoding: 'hex',
  signaturePrefix: '',
  signedContent: 'body',
  timestampHeader: undefined,
  timestampFormat: undefined,
  toleranceSec: undefined,
  unsigned: 'refuse',
  eventHeader: undefined,
  deliveryHeader: undefined,
  typeFields: ['event'],
  idField: undefined,
  timeField: 'timestamp',
  events: [
    'post.created',
    'post.published',
    'post.failed',
    'post.status_changed',
    'campaign.started',
    'campaign.ended',
    'analytics.updated',
    'follower.milestone',
    'comment.received',
    'mention.detected',
  ],
  otherEvents: [],
  retry: {
    delaysSec: [30, 120, 600, 3600],
    delayFrom: 'attempt-end',
    timeoutIsFailure: true,
    stopOn: [],
  },
  timeoutMs: 10_000,
  customHeaders: true,
  disableAfterFailures: undefined,
  api: undefined,
  provenance: {
    signatureHeader: { documented: 'seed 002: X-Audenci-Signature' },
    signatureEncoding: { assumed: 'encoding not documented; we sign lowercase hex and accept hex/base64' },
    signaturePrefix: { assumed: 'no prefix is documented' },
    signedContent: { assumed: 'seed 002 says "HMAC-SHA256 of payload": read as the raw body' },
    timestampHeader: { documented: 'seed 002: timestamp only inside the body' },
    timestampFormat: { documented: 'seed 002: no timestamp header' },
    toleranceSec: { documented: 'seed 002: no replay window' },
    unsigned: { assumed: 'seed 002 says Audenci sends the signature header; secret handling is not documented' },
    eventHeader: { documented: 'seed 002: none' },
    deliveryHeader: { documented: 'seed 002: none' },
    typeFields: { documented: 'seed 002 example: event' },
    idField: { documented: 'seed 002 envelope has no event id; a digest of the body stands in' },
    timeField: { documented: 'seed 002 envelope: timestamp (ISO 8601)' },
    events: { documented: 'seed 002 "Available Webhook Events" (comment.received, mention.detected: coming soon)' },
    otherEvents: { documented: 'none' },
    retry: { assumed: 'seed 002 says "exponential backoff" with no numbers: 4 retries at 30 s, 2 min, 10 min, 1 h' },
    timeoutMs: { assumed: 'no deadline documented; 10 s' },
    customHeaders: { documented: 'seed 002: optional custom headers, e.g. Authorization: Bearer' },
    disableAfterFailures: {
      assumed:
        'Audenci help, "Webhook Integrations & API Usage", "Testing Webhooks": failed webhooks are retried; nothing says a webhook is ever disabled, so it never is here',
    },
    api: { documented: 'seed 002: webhooks are created in the dashboard, no API' },
  },
};
