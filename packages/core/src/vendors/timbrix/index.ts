import type { UndocumentedFields } from '../../fields.js';
import type { VendorProfile } from '../profile.js';

// Source: the Timbrix API reference, "Create a new webhook" (docs.timbrix.mx), sections
// Available Events, Permissions, Signature Verification, Retry Logic. Its "Webhook Payload"
// section announces a format block that the page does not contain.
const REF = 'Timbrix API reference, "Create a new webhook"';

/** Nothing of the payload is documented: every key of `data` reads as `unknown`. */
export type TimbrixData = UndocumentedFields;

/**
 * Assumed envelope: `{ event, timestamp?, data }` like the other three vendors; some
 * senders write `type` instead of `event`, so both are optional here and the resolved name
 * is always on `event.type`. `id` is read as the event id when present. Any other field is
 * not typed: read it with `undocumentedField(payload, 'name')`.
 */
export interface TimbrixEnvelope<E extends string = string> {
  readonly event?: E;
  readonly type?: E;
  readonly id?: string;
  readonly timestamp?: string;
  readonly data?: TimbrixData;
}

/** Timbrix's events (the reference's "Available Events"), name -> payload (envelope assumed). */
export interface TimbrixEvents {
  'organization.created': TimbrixEnvelope<'organization.created'>;
  'organization.updated': TimbrixEnvelope<'organization.updated'>;
  'organization.deleted': TimbrixEnvelope<'organization.deleted'>;
  'member.added': TimbrixEnvelope<'member.added'>;
  'member.removed': TimbrixEnvelope<'member.removed'>;
  'member.role_updated': TimbrixEnvelope<'member.role_updated'>;
  'invite.created': TimbrixEnvelope<'invite.created'>;
  'invite.accepted': TimbrixEnvelope<'invite.accepted'>;
  'invite.cancelled': TimbrixEnvelope<'invite.cancelled'>;
  'oauth_app.created': TimbrixEnvelope<'oauth_app.created'>;
  'oauth_app.revoked': TimbrixEnvelope<'oauth_app.revoked'>;
  'webhook.created': TimbrixEnvelope<'webhook.created'>;
}

export const timbrix: VendorProfile<'timbrix', TimbrixEvents> = {
  id: 'timbrix',
  name: 'Timbrix',
  docsUrl: 'https://docs.timbrix.mx/api-reference/webhooks',
  signatureHeader: 'X-Webhook-Signature',
  signatureEncoding: 'hex',
  signaturePrefix: '',
  signedContent: 'body',
  timestampHeader: undefined,
  timestampFormat: undefined,
  toleranceSec: undefined,
  unsigned: 'refuse',
  eventHeader: undefined,
  deliveryHeader: undefined,
  typeFields: ['event', 'type'],
  idField: 'id',
  timeField: 'timestamp',
  events: [
    'organization.created',
    'organization.updated',
    'organization.deleted',
    'member.added',
    'member.removed',
    'member.role_updated',
    'invite.created',
    'invite.accepted',
    'invite.cancelled',
    'oauth_app.created',
    'oauth_app.revoked',
    'webhook.created',
  ],
  otherEvents: [],
  retry: {
    delaysSec: [1, 5, 30],
    delayFrom: 'attempt-end',
    timeoutIsFailure: true,
    stopOn: [],
  },
  timeoutMs: 10_000,
  customHeaders: undefined,
  disableAfterFailures: undefined,
  api: {
    baseUrl: 'https://api.timbrix.mx/v1',
    method: 'POST',
    path: '/organizations/{organizationId}/webhooks',
    requiredHeaders: [],
    returnsSecret: true,
  },
  secretKey: 'utf8-string',
  secretSource: 'response',
  provenance: {
    signatureHeader: {
      documented: `${REF}, "Signature Verification": every request carries an HMAC SHA-256 signature in X-Webhook-Signature`,
    },
    signatureEncoding: {
      assumed:
        'the reference does not state the encoding; we sign lowercase hex and verification accepts hex or base64',
    },
    signaturePrefix: {
      assumed: 'the reference shows no prefix; we write none and verification accepts sha256= or v1= too',
    },
    signedContent: {
      assumed: `${REF}, "Signature Verification" says HMAC SHA-256 without naming the input: read as the raw body`,
    },
    timestampHeader: {
      assumed: 'the reference names no timestamp header; we read none, consistent with signing the body alone',
    },
    timestampFormat: { assumed: 'no signed timestamp header is named, so none to format' },
    toleranceSec: {
      assumed:
        'the reference states no replay window and no signed timestamp, so none is enforced; dedupe stops replays',
    },
    unsigned: { documented: `${REF}, "Signature Verification": all webhook requests include a signature` },
    eventHeader: { assumed: 'the reference names no event header; the event type is read from the body' },
    deliveryHeader: { assumed: 'the reference names no delivery id header; none is read' },
    typeFields: { assumed: `${REF}: the payload format block is missing from the page; \`event\`, else \`type\`` },
    idField: {
      assumed: 'the payload is not documented: an `id` field is used when present, else a digest of the body',
    },
    timeField: { assumed: 'the payload is not documented: `timestamp` when present' },
    events: {
      documented: `${REF}, "Available Events": twelve organization, member, invite, OAuth app and webhook events`,
    },
    otherEvents: { documented: `${REF}: names no events beyond its "Available Events" list` },
    retry: {
      documented: `${REF}, "Retry Logic": failed deliveries are retried up to 3 times at 1 s, 5 s, 30 s. Assumed: each delay counts from the end of the failed attempt, and a timeout is a failed attempt`,
    },
    timeoutMs: { assumed: 'the reference gives no deadline; 10 s' },
    customHeaders: {
      assumed:
        'the reference does not say whether users can add delivery headers; the mock sender sends `headers` if you pass them',
    },
    disableAfterFailures: {
      assumed: `${REF}, "Retry Logic": failed deliveries are retried; nothing says a webhook is ever disabled, so it never is here`,
    },
    api: {
      assumed: `${REF}: POST with an organizationId path parameter, returning the secret once; the path /organizations/{organizationId}/webhooks is inferred from that parameter and the host is a placeholder (pass mockVendorApi({ baseUrl }))`,
    },
    secretKey: {
      assumed: `${REF} returns a secret "used for signature verification" without saying how it keys the HMAC; we use the whole string's UTF-8 bytes, as given`,
    },
    secretSource: {
      documented: `${REF}: the create response returns the signing secret, only once ("Save the secret value")`,
    },
  },
};
