import type { VendorProfile } from './profile.js';

// Source: seed 003 (Timbrix API reference: create a webhook) and its
// api-reference/webhooks pages as summarised in VENDORS.md.

/** Nothing of the payload is documented (the format block is missing from the page). */
export type TimbrixData = { readonly [key: string]: unknown };

/**
 * Assumed envelope: `{ event, timestamp?, data }` like the other three vendors;
 * some senders write `type` instead of `event`, so both are optional here and the
 * resolved name is always on `event.type`.
 */
export interface TimbrixEnvelope<E extends string = string> {
  readonly event?: E;
  readonly type?: E;
  readonly timestamp?: string;
  readonly data?: TimbrixData;
  readonly [key: string]: unknown;
}

/** Timbrix's documented events (seed 003 "Available Events"), name -> payload (envelope assumed). */
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
  customHeaders: false,
  disableAfterFailures: undefined,
  api: {
    baseUrl: 'https://api.timbrix.mx/v1',
    method: 'POST',
    path: '/organizations/{organizationId}/webhooks',
    requiredHeaders: [],
    returnsSecret: true,
  },
  provenance: {
    signatureHeader: { documented: 'seed 003: X-Webhook-Signature' },
    signatureEncoding: { assumed: 'encoding not documented; we sign lowercase hex and accept hex/base64' },
    signaturePrefix: { assumed: 'no prefix is documented' },
    signedContent: { assumed: 'seed 003 says HMAC SHA-256 without naming the input: read as the raw body' },
    timestampHeader: { documented: 'none documented' },
    timestampFormat: { documented: 'none documented' },
    toleranceSec: { documented: 'no replay window documented' },
    unsigned: { documented: 'seed 003: all webhook requests include a signature' },
    eventHeader: { documented: 'none documented' },
    deliveryHeader: { documented: 'none documented' },
    typeFields: { assumed: 'payload format block missing from the page: `event`, else `type`' },
    idField: { assumed: 'an `id` field is used when present, else a digest of the body' },
    timeField: { assumed: '`timestamp` when present' },
    events: { documented: 'seed 003 "Available Events"' },
    otherEvents: { documented: 'none' },
    retry: { documented: 'seed 003: up to 3 retries at 1 s, 5 s, 30 s' },
    timeoutMs: { assumed: 'no deadline documented; 10 s' },
    customHeaders: { documented: 'none documented' },
    disableAfterFailures: {
      assumed:
        'Timbrix API reference, "Create a new webhook", "Retry Logic": failed deliveries are retried; nothing says a webhook is ever disabled, so it never is here',
    },
    api: {
      documented:
        'seed 003: POST /organizations/{organizationId}/webhooks returns the secret once (base URL assumed)',
    },
  },
};
