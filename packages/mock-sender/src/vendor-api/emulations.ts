import type { VendorId } from '@hookproof/core';
import type { Random } from '../random.js';
import type { Subscription } from '../types.js';

/**
 * How each vendor's create-webhook endpoint answers. Core's profile `api` gives the
 * endpoint (base URL, path, required headers, whether it returns the secret); this
 * adds what only the mock needs: auth schemes, status and response shape. Where a seed
 * shows the response it is copied (Autoposting's API reference); otherwise it is marked assumed.
 */
export interface ApiEmulation {
  /** Accepted API key schemes. */
  readonly auth: readonly ('bearer' | 'x-api-key')[];
  readonly createdStatus: number;
  /** Whether the request body may set the signing secret (Autoposting: optional `secret`). */
  readonly acceptsSecret: boolean;
  /** Path parameters that must match a pattern (Timbrix: organizationId is a UUID). */
  readonly params: Readonly<Record<string, RegExp>>;
  newId(random: Random, nowMs: number): string;
  /** Signing secret returned once (profiles with `api.returnsSecret`). */
  newSecret(random: Random): string;
  created(sub: Subscription, body: { readonly description?: string }): unknown;
  error(code: string, message: string): unknown;
  /** Fields of emitted events that come from the registration (Aidelly's workspace id). */
  eventOverrides(sub: Subscription): Readonly<Record<string, unknown>>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const plainError = (code: string, message: string) => ({ error: code, message });
const none = () => ({});

/** For profiles from `defineVendor` that declare an `api`: a flat JSON answer. */
export const genericEmulation: ApiEmulation = {
  auth: ['bearer'],
  createdStatus: 201,
  acceptsSecret: false,
  params: {},
  newId: (random) => random.uuid(),
  newSecret: (random) => random.hex(32),
  created: (sub) => ({ id: sub.id, url: sub.url, events: sub.events, ...(sub.secret === undefined ? {} : { secret: sub.secret }), createdAt: sub.createdAt }),
  error: plainError,
  eventOverrides: none,
};

export const emulations: { readonly [K in VendorId]: ApiEmulation } = {
  autoposting: {
    // Autoposting's API reference: `Authorization: Bearer sk-social-...` or `x-api-key: sk-social-...`.
    auth: ['bearer', 'x-api-key'],
    // Its "Create a webhook endpoint": '200': Webhook created, `{ success, data: Webhook }`.
    createdStatus: 200,
    acceptsSecret: true,
    params: {},
    // Its example id `wh_01HXYZ`: a prefix and a ULID.
    newId: (random, nowMs) => `wh_${random.ulid(nowMs)}`,
    newSecret: (random) => `whsec_${random.hex(24)}`,
    created: (sub) => ({
      success: true,
      data: { id: sub.id, url: sub.url, events: sub.events, enabled: sub.enabled, createdAt: sub.createdAt },
    }),
    // Its 401 body; the same shape is assumed for 400.
    error: (code, message) => ({ success: false, error: code, message }),
    eventOverrides: none,
  },
  aidelly: {
    // Aidelly's guide, "Subscribing": `Authorization: Bearer $AIDELLY_API_KEY`.
    auth: ['bearer'],
    // Assumed: the guide shows the request only.
    createdStatus: 201,
    acceptsSecret: false,
    params: {},
    newId: (random) => random.uuid(),
    newSecret: (random) => random.hex(32),
    created: (sub, body) => ({
      id: sub.id,
      url: sub.url,
      events: sub.events,
      ...(body.description === undefined ? {} : { description: body.description }),
      workspace_id: sub.context['x-aidelly-workspace-id'],
      created_at: sub.createdAt,
    }),
    error: plainError,
    // Deliveries carry the workspace the webhook was created in (the guide's "Payload shape": workspace_id).
    eventOverrides: (sub) => {
      const workspace = sub.context['x-aidelly-workspace-id'];
      return workspace === undefined ? {} : { workspace_id: workspace };
    },
  },
  audenci: {
    // Audenci's help page: webhooks are created in the dashboard; core's profile has no `api`, so this is never used.
    ...genericEmulation,
  },
  timbrix: {
    // Timbrix's API reference: "Bearer authentication header of the form Bearer <token>".
    auth: ['bearer'],
    // Assumed: the reference says "Webhook created successfully" without a status.
    createdStatus: 201,
    acceptsSecret: false,
    // The reference: organizationId "string (UUID)".
    params: { organizationId: UUID },
    newId: (random) => random.uuid(),
    // The reference: the secret is returned once; its format is not shown (assumed 32 random bytes, hex).
    newSecret: (random) => random.hex(32),
    created: (sub) => ({
      id: sub.id,
      organizationId: sub.context['organizationId'],
      url: sub.url,
      events: sub.events,
      secret: sub.secret,
      createdAt: sub.createdAt,
    }),
    error: plainError,
    eventOverrides: none,
  },
};

export function emulationFor(vendorId: string): ApiEmulation {
  return Object.prototype.hasOwnProperty.call(emulations, vendorId) ? emulations[vendorId as VendorId] : genericEmulation;
}
