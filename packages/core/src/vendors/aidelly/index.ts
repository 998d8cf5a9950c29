import type { VendorProfile } from '../profile.js';

// Source: the Aidelly REST API guide, "Webhooks" page (sections Subscribing, Available
// events, Payload shape, Signature verification, Delivery and retries, Listing and
// deleting subscriptions). It gives no public URL for itself.
const GUIDE = 'Aidelly REST API guide, "Webhooks" page';

/**
 * `data` of post events. The guide's "Payload shape" shows `post.published` only, so for
 * the other events these fields are its fields, optional. Fields the guide does not show
 * are not typed: read them with `undocumentedField(data, 'name')`.
 */
export interface AidellyPostData {
  readonly post_id?: string;
  readonly platform?: string;
  readonly status?: string;
  readonly published_at?: string;
  readonly platform_post_id?: string;
}

/** `post.published` data exactly as the guide's "Payload shape" shows it. */
export interface AidellyPostPublishedData extends AidellyPostData {
  readonly post_id: string;
  readonly platform: string;
  readonly status: string;
  readonly published_at: string;
  readonly platform_post_id: string;
}

/** The envelope of the guide's "Payload shape"; Aidelly sends no event id. */
export interface AidellyEnvelope<E extends string = string, D = AidellyPostData> {
  readonly event: E;
  readonly workspace_id: string;
  readonly brand_id: string;
  readonly data: D;
  readonly created_at: string;
}

/** Aidelly's events (the guide's "Available events" table), name -> payload. */
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
  customHeaders: undefined,
  disableAfterFailures: undefined,
  api: {
    baseUrl: 'https://api.aidelly.ai/v1',
    method: 'POST',
    path: '/webhooks',
    requiredHeaders: ['idempotency-key', 'x-aidelly-workspace-id'],
    returnsSecret: false,
  },
  secretKey: 'utf8-string',
  secretSource: 'outside-api',
  provenance: {
    signatureHeader: {
      documented: `${GUIDE}, "Signature verification": every delivery includes an Aidelly-Signature header`,
    },
    signatureEncoding: {
      documented: `${GUIDE}, "Signature verification": the sample compares with digest('hex'), lowercase hex`,
    },
    signaturePrefix: {
      documented: `${GUIDE}, "Signature verification": the sample compares with \`sha256=\${expected}\``,
    },
    signedContent: { documented: `${GUIDE}, "Signature verification": the sample HMACs the raw request body alone` },
    timestampHeader: {
      documented: `${GUIDE}, "Signature verification": the sample signs the body alone, so no signed timestamp header`,
    },
    timestampFormat: { documented: `${GUIDE}, "Signature verification": no timestamp is signed, so none to format` },
    toleranceSec: {
      documented: `${GUIDE}, "Signature verification": nothing time-bound is signed, so no replay window`,
    },
    unsigned: { documented: `${GUIDE}, "Signature verification": every delivery includes an Aidelly-Signature header` },
    eventHeader: {
      assumed: `${GUIDE}: names no delivery header besides Aidelly-Signature; the event type is read from the body`,
    },
    deliveryHeader: { assumed: `${GUIDE}: names no delivery header besides Aidelly-Signature; no delivery id is read` },
    typeFields: { documented: `${GUIDE}, "Payload shape": the event name is in \`event\`` },
    idField: { documented: `${GUIDE}, "Payload shape": the envelope has no event id; a digest of the body stands in` },
    timeField: { documented: `${GUIDE}, "Payload shape": \`created_at\`` },
    events: { documented: `${GUIDE}, "Available events": five post events` },
    otherEvents: { documented: `${GUIDE}: names no events beyond its "Available events" table` },
    retry: {
      documented: `${GUIDE}, "Delivery and retries": a failed or timed-out delivery is retried up to 5 times at 5 s, 25 s, 125 s, 625 s, 3125 s, then marked failed "after 5 failed attempts" (read as 1 try + 5 retries). Assumed: each delay counts from the end of the failed attempt`,
    },
    timeoutMs: { documented: `${GUIDE}, "Delivery and retries": your endpoint must return a 2xx within 10 seconds` },
    customHeaders: {
      assumed: `${GUIDE}: does not say whether users can add delivery headers; the mock sender sends \`headers\` if you pass them`,
    },
    disableAfterFailures: {
      assumed: `${GUIDE}, "Delivery and retries": a delivery is marked failed after its retries; nothing says the subscription is ever disabled, so it never is here`,
    },
    api: {
      assumed: `${GUIDE}, "Subscribing": POST $AIDELLY_API_BASE/webhooks with Idempotency-Key and x-aidelly-workspace-id; the host is a variable there, so ours is a placeholder (pass mockVendorApi({ baseUrl }))`,
    },
    secretKey: {
      documented: `${GUIDE}, "Signature verification": the sample passes "your webhook signing secret" to createHmac as the key, the string as given`,
    },
    secretSource: {
      assumed: `${GUIDE}, "Subscribing" shows a create request with no secret and no response; assumed the app copies its signing secret from Aidelly and passes it as \`secret\``,
    },
  },
};
