import type { VendorId } from '@hookproof/core';
import type { Random } from '../random.js';
import type { Subscription } from '../types.js';

/**
 * How each vendor's webhook API answers. Core's profile `api` gives the create
 * endpoint (base URL, path, required headers, whether it returns the secret); this
 * adds what only the mock needs: auth schemes, statuses, response shapes, what the
 * create call accepts, and the other subscription endpoints a vendor documents. Where
 * a vendor page shows the response it is copied (Autoposting's API reference);
 * otherwise it is marked assumed.
 */
export interface ApiEmulation {
  /** Accepted API key schemes. */
  readonly auth: readonly ('bearer' | 'x-api-key')[];
  readonly createdStatus: number;
  /** Whether the request body may set the signing secret (Autoposting: optional `secret`). */
  readonly acceptsSecret: boolean;
  /** Path parameters that must match a pattern (Timbrix: organizationId is a UUID). */
  readonly params: Readonly<Record<string, RegExp>>;
  /**
   * The `events` name that subscribes to every event, where the vendor documents one
   * (Autoposting's `"*"`); `undefined`: no wildcard, `"*"` is refused like any unknown name.
   */
  readonly wildcard: string | undefined;
  /**
   * Event names the create call accepts when they differ from the profile's events
   * (Autoposting: its API enum, which lacks the concept page's extra events);
   * `undefined`: the profile's `events` and `otherEvents`.
   */
  readonly subscribable: readonly string[] | undefined;
  /** A documented role check on create: roles allowed (compared case-insensitively) and the 403 message. */
  readonly roles: { readonly allowed: readonly string[]; readonly message: string } | undefined;
  /** `GET` on the create path lists the subscriptions (Aidelly); `undefined`: not documented, not emulated. */
  readonly list: ((subs: readonly Listed[]) => unknown) | undefined;
  /** `DELETE <path>/{id}` removes one (Aidelly); `undefined`: not documented, not emulated. */
  readonly remove:
    | { readonly requiredHeaders: readonly string[]; readonly status: number; answer(sub: Subscription): unknown }
    | undefined;
  newId(random: Random, nowMs: number): string;
  /** Signing secret returned once (profiles with `api.returnsSecret`). */
  newSecret(random: Random): string;
  created(sub: Subscription, body: { readonly description?: string }): unknown;
  error(code: string, message: string): unknown;
  /** Fields of emitted events that come from the registration (Aidelly's workspace id). */
  eventOverrides(sub: Subscription): Readonly<Record<string, unknown>>;
}

/** A stored subscription and the optional create fields the vendor echoes. */
export interface Listed {
  readonly subscription: Subscription;
  readonly extra: { readonly description?: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const plainError = (code: string, message: string) => ({ error: code, message });
const none = () => ({});

/** For profiles from `defineVendor` that declare an `api`: a flat JSON answer, create only, no wildcard. */
export const genericEmulation: ApiEmulation = {
  auth: ['bearer'],
  createdStatus: 201,
  acceptsSecret: false,
  params: {},
  wildcard: undefined,
  subscribable: undefined,
  roles: undefined,
  list: undefined,
  remove: undefined,
  newId: (random) => random.uuid(),
  newSecret: (random) => random.hex(32),
  created: (sub) => ({
    id: sub.id,
    url: sub.url,
    events: sub.events,
    ...(sub.secret === undefined ? {} : { secret: sub.secret }),
    createdAt: sub.createdAt,
  }),
  error: plainError,
  eventOverrides: none,
};

/** Aidelly's subscription as its create call answers it (shape assumed: the guide shows requests only). */
const aidellyView = (sub: Subscription, body: { readonly description?: string }) => ({
  id: sub.id,
  url: sub.url,
  events: sub.events,
  ...(body.description === undefined ? {} : { description: body.description }),
  workspace_id: sub.context['x-aidelly-workspace-id'],
  created_at: sub.createdAt,
});

export const emulations: { readonly [K in VendorId]?: ApiEmulation } = {
  autoposting: {
    // Autoposting.ai API reference: `Authorization: Bearer sk-social-...` or `x-api-key: sk-social-...`.
    auth: ['bearer', 'x-api-key'],
    // Same page: '200' Webhook created, `{ success, data: Webhook }`.
    createdStatus: 200,
    acceptsSecret: true,
    params: {},
    // Same page, `events`: 'Use ["*"] to receive all events.'
    wildcard: '*',
    // Same page, the `WebhookEventType` enum. The "Webhooks" concept page also names
    // post.partial, post.cancelled and token.expired, but the create call's schema does
    // not list them, so a subscription must use "*" to receive them (decision: validate
    // against the API's own schema, which is what the real endpoint checks).
    subscribable: [
      'post.published',
      'post.failed',
      'post.scheduled',
      'clip.render.completed',
      'clip.render.failed',
      'agent.run.completed',
      'agent.run.failed',
    ],
    roles: undefined,
    list: undefined,
    remove: undefined,
    // Same page, example id `wh_01HXYZ`: a prefix and a ULID.
    newId: (random, nowMs) => `wh_${random.ulid(nowMs)}`,
    newSecret: (random) => `whsec_${random.hex(24)}`,
    created: (sub) => ({
      success: true,
      data: { id: sub.id, url: sub.url, events: sub.events, enabled: sub.enabled, createdAt: sub.createdAt },
    }),
    // Same page, the 401 body; the same shape is assumed for the other errors.
    error: (code, message) => ({ success: false, error: code, message }),
    eventOverrides: none,
  },
  aidelly: {
    // Aidelly REST API guide, "Webhooks", Subscribing: `Authorization: Bearer $AIDELLY_API_KEY`.
    auth: ['bearer'],
    // Assumed: the guide shows the request only.
    createdStatus: 201,
    acceptsSecret: false,
    params: {},
    // The guide documents no wildcard: each event is named.
    wildcard: undefined,
    subscribable: undefined,
    roles: undefined,
    // Listing and deleting subscriptions: `GET $AIDELLY_API_BASE/webhooks`; the answer's shape is assumed.
    list: (subs) => ({ data: subs.map((s) => aidellyView(s.subscription, s.extra)) }),
    // Same section: `DELETE $AIDELLY_API_BASE/webhooks/$WEBHOOK_ID` with an Idempotency-Key; the answer is assumed.
    remove: { requiredHeaders: ['idempotency-key'], status: 200, answer: (sub) => ({ id: sub.id, deleted: true }) },
    newId: (random) => random.uuid(),
    newSecret: (random) => random.hex(32),
    created: aidellyView,
    error: plainError,
    // Deliveries carry the workspace the webhook was created in (Payload shape: workspace_id).
    eventOverrides: (sub) => {
      const workspace = sub.context['x-aidelly-workspace-id'];
      return workspace === undefined ? {} : { workspace_id: workspace };
    },
  },
  audenci: {
    // Audenci help, "Webhook Integrations & API Usage", Creating Webhooks: in the dashboard;
    // core's profile has no `api`, so this is never used.
    ...genericEmulation,
  },
  timbrix: {
    // Timbrix API reference, "Create a new webhook", Authorizations: "Bearer <token>".
    auth: ['bearer'],
    // Assumed: the page says "Webhook created successfully" without a status.
    createdStatus: 201,
    acceptsSecret: false,
    // Path Parameters: organizationId "string (UUID)".
    params: { organizationId: UUID },
    // The page lists the event names ("Available options") and no wildcard.
    wildcard: undefined,
    subscribable: undefined,
    // Permissions: "Only OWNERS and ADMINS can create webhooks"; Common Errors: 403
    // "Only owners and admins can create webhooks."
    roles: { allowed: ['OWNER', 'ADMIN'], message: 'Only owners and admins can create webhooks.' },
    list: undefined,
    remove: undefined,
    newId: (random) => random.uuid(),
    // The secret is returned once; its format is not shown (assumed 32 random bytes, hex).
    newSecret: (random) => random.hex(32),
    created: (sub) => ({
      id: sub.id,
      organizationId: sub.context['organizationId'],
      url: sub.url,
      events: sub.events,
      secret: sub.secret,
      createdAt: sub.createdAt,
    }),
    // Error bodies are not shown (assumed `{ error, message }`).
    error: plainError,
    eventOverrides: none,
  },
};

export function emulationFor(vendorId: string): ApiEmulation {
  return (
    (Object.prototype.hasOwnProperty.call(emulations, vendorId) ? emulations[vendorId as VendorId] : undefined) ??
    genericEmulation
  );
}
