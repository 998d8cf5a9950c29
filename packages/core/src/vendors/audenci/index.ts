import type { UndocumentedFields } from '../../fields.js';
import type { VendorProfile } from '../profile.js';

// Source: the Audenci help page "Webhook Integrations & API Usage" (sections Available
// Webhook Events, Creating Webhooks, Webhook Payload, Webhook Authentication, Testing
// Webhooks). It gives no public URL for itself.
const HELP = 'Audenci help, "Webhook Integrations & API Usage"';

/** One platform's entry in `platformResults`, as the help page's example shows it. */
export interface AudenciPlatformResult {
  readonly success: boolean;
  readonly postId?: string;
}

/**
 * `post.published` data exactly as the example of the help page's "Webhook Payload" shows
 * it. Fields it does not show are not typed: read them with `undocumentedField(data, 'name')`.
 */
export interface AudenciPostPublishedData {
  readonly postId: string;
  readonly title: string;
  readonly platforms: readonly string[];
  readonly scheduledFor: string;
  readonly platformResults: { readonly [platform: string]: AudenciPlatformResult };
}

/** Data of the events the help page only names: no field is documented. */
export type AudenciData = UndocumentedFields;

/**
 * The envelope of the help page's "Webhook Payload". The text also promises "User ID (who
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

/** Audenci's events (the help page's "Available Webhook Events"), name -> payload; two are marked coming soon. */
export interface AudenciEvents {
  'post.created': AudenciEnvelope<'post.created'>;
  'post.published': AudenciEnvelope<'post.published', AudenciPostPublishedData>;
  'post.failed': AudenciEnvelope<'post.failed'>;
  'post.status_changed': AudenciEnvelope<'post.status_changed'>;
  'campaign.started': AudenciEnvelope<'campaign.started'>;
  'campaign.ended': AudenciEnvelope<'campaign.ended'>;
  'analytics.updated': AudenciEnvelope<'analytics.updated'>;
  'follower.milestone': AudenciEnvelope<'follower.milestone'>;
  /** Coming soon, says the help page. */
  'comment.received': AudenciEnvelope<'comment.received'>;
  /** Coming soon, says the help page. */
  'mention.detected': AudenciEnvelope<'mention.detected'>;
}

export const audenci: VendorProfile<'audenci', AudenciEvents> = {
  id: 'audenci',
  name: 'Audenci',
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
  secretKey: 'utf8-string',
  secretSource: 'outside-api',
  provenance: {
    signatureHeader: {
      documented: `${HELP}, "Webhook Authentication": Audenci sends an X-Audenci-Signature header with an HMAC signature`,
    },
    signatureEncoding: {
      assumed:
        'the help page does not state the encoding; we sign lowercase hex and verification accepts hex or base64',
    },
    signaturePrefix: {
      assumed: 'the help page shows no prefix; we write none and verification accepts sha256= or v1= too',
    },
    signedContent: { assumed: `${HELP}, "Webhook Authentication" says "HMAC-SHA256 of payload": read as the raw body` },
    timestampHeader: {
      assumed:
        'the help page names no timestamp header (its timestamp is a body field); we read none, consistent with signing the body alone',
    },
    timestampFormat: { assumed: 'no signed timestamp header is named, so none to format' },
    toleranceSec: {
      assumed:
        'the help page states no replay window and no signed timestamp, so none is enforced; dedupe stops replays',
    },
    unsigned: {
      assumed: `${HELP}, "Webhook Authentication" says Audenci sends the signature header; whether a webhook can lack a secret is not said, so unsigned deliveries are refused`,
    },
    eventHeader: { assumed: 'the help page names no event header; the event type is read from the body' },
    deliveryHeader: { assumed: 'the help page names no delivery id header; none is read' },
    typeFields: { documented: `${HELP}, "Webhook Payload": the example's \`event\`` },
    idField: {
      documented: `${HELP}, "Webhook Payload": the listed contents include no event id; a digest of the body stands in`,
    },
    timeField: { documented: `${HELP}, "Webhook Payload": \`timestamp\` (ISO 8601)` },
    events: {
      documented: `${HELP}, "Available Webhook Events": ten events, comment.received and mention.detected coming soon`,
    },
    otherEvents: { documented: `${HELP}: names no events beyond its "Available Webhook Events" list` },
    retry: {
      assumed: `${HELP}, "Testing Webhooks" says failed webhooks are retried "with exponential backoff", no numbers: 4 retries at 30 s, 2 min, 10 min, 1 h`,
    },
    timeoutMs: { assumed: 'the help page gives no deadline; 10 s' },
    customHeaders: {
      documented: `${HELP}, "Creating Webhooks" and "Webhook Authentication": optional custom headers, e.g. Authorization: Bearer`,
    },
    disableAfterFailures: {
      assumed: `${HELP}, "Testing Webhooks": failed webhooks are retried; nothing says a webhook is ever disabled, so it never is here`,
    },
    api: {
      assumed: `${HELP}, "Creating Webhooks" describes the dashboard flow (Settings → Integrations → Webhooks) and the REST API's endpoint list has no webhook endpoint: no API is emulated`,
    },
    secretKey: {
      assumed:
        'the help page does not mention a signing secret; we key the HMAC with the whole secret string, UTF-8, as given',
    },
    secretSource: {
      assumed:
        'the help page does not say where the secret comes from; assumed it is copied from the dashboard where the webhook is created',
    },
  },
};
