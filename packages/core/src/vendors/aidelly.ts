import type { VendorProfile } from './profile.js';

// Source: seed 001 (Aidelly REST API guide: webhooks, payload, signature, retries).

/** `data` of post events. Only `post.published` is shown in full (seed 001). */
export interface AidellyPostData {
  readonly post_id?: string;
  readonly platform?: string;
  readonly status?: string;
  readonly published_at?: string;
  readonly platform_post_id?: string;
  readonly [key: string]: unknown;
}

/** `post.published` data exactly as seed 001 shows it. */
export interface AidellyPostPublishedData extends AidellyPostData {
  readonly post_id: string;
  readonly platform: string;
  readonly status: string;
  readonly published_at: string;
  readonly platform_post_id: string;
}

/** The documented envelope; Aidelly sends no event id (seed 001). */
export interface AidellyEnvelope<E extends string = string, D = AidellyPostData> {
  readonly event: E;
  readonly workspace_id: string;
  readonly brand_id: string;
  readonly data: D;
  readonly created_at: string;
}

/** Aidelly's documented events (seed 001 "Available events"), name -> payload. */
export interface AidellyEvents {
  'post.created': AidellyEnvelope<'post.created'>;
  'post.scheduled': AidellyEnvelope<'post.scheduled'>;
  'post.published': AidellyEnvelope<'post.published', AidellyPostPublishedData>;
  'post.failed': AidellyEnvelope<'post.failed'>;
  'post.canceled': AidellyEnvelope<'post.canceled'>;
}

export const aidelly: VendorProfile<'aidelly', AidellyEvents> = {
  id: 'aidelly',
  name: 'Aidelly',
  docsUrl: 'https://docs.aidelly.ai/rest-api/webhooks',
  signatureHeader: 'Aidelly-Signature',
  signatureEncoding: 'hex',
  signaturePrefix: 'sha256=',
  signedContent: 'body',
  timestampHeader: undefined,
  timestampFormat: undefined,
  toleranceSec: undefined,
  unsigned: 'refuse',
  eventHeader: undefined,
  deliveryHeader: undefined,
  typeFields: ['event'],
  idField: undefined,
  timeField: 'created_at',
  events: ['post.created', 'post.scheduled', 'post.published', 'post.failed', 'post.canceled'],
  otherEvents: [],
  retry: {
    delaysSec: [5, 25, 125, 625, 3125],
    delayFrom: 'attempt-end',
    timeoutIsFailure: true,
    stopOn: [],
  },
  timeoutMs: 10_000,
  customHeaders: false,
  disableAfterFailures: undefined,
  api: {
    baseUrl: 'https://api.aidelly.ai/v1',
    method: 'POST',
    path: '/webhooks',
    requiredHeaders: ['idempotency-key', 'x-aidelly-workspace-id'],
    returnsSecret: false,
  },
  provenance: {
    signatureHeader: { documented: 'seed 001: Aidelly-Signature header' },
    signatureEncoding: { documented: 'seed 001 sample: digest("hex")' },
    signaturePrefix: { documented: 'seed 001 sample: `sha256=${expected}`' },
    signedContent: { documented: 'seed 001 sample: HMAC of the raw request body' },
    timestampHeader: { documented: 'seed 001: no timestamp is signed' },
    timestampFormat: { documented: 'seed 001: no timestamp header' },
    toleranceSec: { documented: 'seed 001: no replay window (nothing time-bound is signed)' },
    unsigned: { documented: 'seed 001: every delivery includes Aidelly-Signature' },
    eventHeader: { documented: 'seed 001: no other headers' },
    deliveryHeader: { documented: 'seed 001: no delivery id' },
    typeFields: { documented: 'seed 001 payload: event' },
    idField: { documented: 'seed 001 payload has no event id; a digest of the body stands in' },
    timeField: { documented: 'seed 001 payload: created_at' },
    events: { documented: 'seed 001 "Available events" table' },
    otherEvents: { documented: 'none' },
    retry: {
      documented:
        'seed 001: retries up to 5 times at 5 s, 25 s, 125 s, 625 s, 3125 s; "after 5 failed attempts" read as 1 try + 5 retries (VENDORS.md)',
    },
    timeoutMs: { documented: 'seed 001: 2xx within 10 seconds' },
    customHeaders: { documented: 'seed 001: none' },
    disableAfterFailures: {
      assumed:
        'Aidelly REST API guide, "Webhooks" page, "Delivery and retries": a delivery is marked failed after its retries; nothing says the subscription is ever disabled, so it never is here',
    },
    api: {
      assumed:
        'seed 001 shows POST $AIDELLY_API_BASE/webhooks with Idempotency-Key and x-aidelly-workspace-id; the base URL is not given',
    },
  },
};
