import type { SigningScheme } from '../../scheme.js';
import type { VendorProfile } from '../profile.js';

// The Standard Webhooks specification (standardwebhooks.com; the spec text is
// spec/standard-webhooks.md in the standard-webhooks/standard-webhooks repository), which
// Svix and others implement. Cited below as SPEC with the section name.
const SPEC = 'Standard Webhooks specification';

/** The `data` of a Standard Webhooks event: its fields are the sender's, not the spec's. */
export type StandardWebhooksData = { readonly [key: string]: unknown };

/** The spec's payload structure, "Payload structure": `{ type, timestamp, data }`. */
export interface StandardWebhooksEnvelope<T extends string = string> {
  /** A full-stop-delimited event type, e.g. `invoice.paid`. */
  readonly type: T;
  /** ISO-8601 time of the event (not of the delivery). */
  readonly timestamp: string;
  readonly data: StandardWebhooksData;
}

/** Any event type: senders define their own names, so every name is typed with the spec's envelope. */
export type StandardWebhooksEvents = { readonly [type: string]: StandardWebhooksEnvelope };

/**
 * `webhook-signature: v1,<base64> [v1,<base64> …]` over `<webhook-id>.<webhook-timestamp>.<raw body>`,
 * keyed by the base64 after `whsec_`; Svix sends the same headers as `svix-*`.
 */
export const standardWebhooksScheme: SigningScheme = {
  algorithm: 'sha256',
  secretEncoding: 'whsec-base64',
  signedContent: '{id}.{timestamp}.{body}',
  signature: { header: ['webhook-signature', 'svix-signature'], prefix: 'v1,', separator: ' ', encoding: 'base64' },
  timestamp: { header: ['webhook-timestamp', 'svix-timestamp'], format: 'unix-s' },
  id: { header: ['webhook-id', 'svix-id'] },
};

export const standardWebhooks: VendorProfile<'standard-webhooks', StandardWebhooksEvents> = {
  id: 'standard-webhooks',
  name: 'Standard Webhooks',
  docsUrl: 'https://www.standardwebhooks.com/',
  scheme: standardWebhooksScheme,
  signatureHeader: 'webhook-signature',
  signatureEncoding: 'base64',
  signaturePrefix: 'v1,',
  signedContent: '{id}.{timestamp}.{body}',
  timestampHeader: 'webhook-timestamp',
  timestampFormat: 'unix-s',
  toleranceSec: 300,
  unsigned: 'refuse',
  eventHeader: undefined,
  deliveryHeader: 'webhook-id',
  typeFields: ['type'],
  idField: undefined,
  timeField: 'timestamp',
  events: [],
  otherEvents: [],
  openEvents: true,
  untypedEvent: 'untyped',
  retry: {
    delaysSec: [5, 300, 1800, 7200, 18000, 36000, 36000],
    delayFrom: 'attempt-end',
    timeoutIsFailure: true,
    stopOn: [],
  },
  timeoutMs: 15_000,
  customHeaders: undefined,
  disableAfterFailures: undefined,
  api: undefined,
  secretKey: 'whsec-base64',
  secretSource: 'outside-api',
  provenance: {
    scheme: {
      documented: `${SPEC}, "Signature scheme": HMAC-SHA256 over "msg_id.timestamp.payload", base64, "v1," label, space-delimited list; secrets are base64 with a whsec_ prefix`,
    },
    signatureHeader: { documented: `${SPEC}, "Webhook headers": webhook-signature (Svix sends svix-signature)` },
    signatureEncoding: { documented: `${SPEC}, "Signature scheme": base64` },
    signaturePrefix: {
      documented: `${SPEC}, "Signature scheme": each signature is prefixed with its version, "v1," for HMAC-SHA256; other versions are skipped`,
    },
    signedContent: {
      documented: `${SPEC}, "Signature scheme": the id, the timestamp and the raw payload joined with full stops`,
    },
    timestampHeader: { documented: `${SPEC}, "Webhook headers": webhook-timestamp, integer unix seconds` },
    timestampFormat: { documented: `${SPEC}, "Webhook headers": integer unix seconds` },
    toleranceSec: {
      documented: `${SPEC}, "Verifying webhooks": reject timestamps too far from now; the reference libraries use five minutes`,
    },
    unsigned: { documented: `${SPEC}, "Signature scheme": every message is signed` },
    eventHeader: { documented: `${SPEC}, "Webhook headers": no event-type header; the type is in the payload` },
    deliveryHeader: {
      documented: `${SPEC}, "Webhook headers": webhook-id, the same on every retry of a message, and signed`,
    },
    typeFields: { documented: `${SPEC}, "Payload structure": type` },
    idField: {
      documented: `${SPEC}, "Payload structure": no id field; the signed webhook-id header is the idempotency key`,
    },
    timeField: { documented: `${SPEC}, "Payload structure": timestamp (ISO 8601), the time of the event` },
    events: {
      documented: `${SPEC}: event types are the sender's own, so none is listed; every type is typed with the payload structure`,
    },
    otherEvents: { documented: `${SPEC}: names no event types` },
    openEvents: { documented: `${SPEC}: event types are the sender's own` },
    untypedEvent: {
      assumed:
        'the spec requires `type`, but its own test vectors sign bodies without one: such a body verifies as an undocumented event named "untyped"',
    },
    retry: {
      assumed: `${SPEC}, "Retry schedule" recommends exponential backoff without fixing one: Svix's schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h)`,
    },
    timeoutMs: { assumed: `${SPEC} recommends short timeouts without a number: 15 s` },
    customHeaders: { assumed: 'the spec does not say whether senders add headers of their own' },
    disableAfterFailures: { assumed: 'the spec does not say when a sender disables an endpoint' },
    api: { assumed: 'the spec defines no subscription API' },
    secretKey: {
      documented: `${SPEC}, "Signature scheme": the secret is base64 after the whsec_ prefix; the decoded bytes are the key`,
    },
    secretSource: { assumed: 'the spec does not say how a secret is exchanged; the app copies it from the sender' },
  },
};
