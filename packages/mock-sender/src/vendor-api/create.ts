import type { VendorProfile } from '@hookproof/core';
import { isoSeconds } from '../clock.js';
import { isPlainObject } from '../merge.js';
import type { Random } from '../random.js';
import type { Subscription } from '../types.js';
import type { ApiEmulation } from './emulations.js';

export interface ApiReply {
  readonly status: number;
  readonly body: unknown;
}

export interface ApiState {
  readonly profile: VendorProfile;
  readonly emulation: ApiEmulation;
  readonly random: Random;
  readonly now: () => number;
  /** Signing secret for vendors whose API neither takes nor returns one (Aidelly: the dashboard's). */
  readonly senderSecret: string | undefined;
  readonly apiKeys: readonly string[] | undefined;
  readonly subscriptions: Subscription[];
  readonly replies: Map<string, ApiReply>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function apiKeyOf(state: ApiState, headers: Readonly<Record<string, string>>): string | undefined {
  const { auth } = state.emulation;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers['authorization'] ?? '');
  if (auth.includes('bearer') && bearer?.[1] !== undefined) return bearer[1];
  const key = headers['x-api-key']?.trim();
  if (auth.includes('x-api-key') && key !== undefined && key !== '') return key;
  return undefined;
}

/** Autoposting's and Timbrix's API references: "HTTPS URL". Plain http is allowed to loopback only, so local receivers can be registered. */
function checkUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return url.href;
  } catch {
    // falls through to the 400
  }
  return undefined;
}

/**
 * The vendor's create-webhook endpoint, without any HTTP: checks the API key, the
 * required headers and path parameters, replays a known Idempotency-Key, validates the
 * body, records the subscription and answers as the vendor documents (or as assumed).
 */
export function createWebhook(state: ApiState, params: Readonly<Record<string, string>>, headers: Readonly<Record<string, string>>, rawBody: unknown): ApiReply {
  const { profile, emulation } = state;
  const api = profile.api!;
  const bad = (status: number, code: string, message: string): ApiReply => ({ status, body: emulation.error(code, message) });

  const key = apiKeyOf(state, headers);
  if (key === undefined || (state.apiKeys !== undefined && !state.apiKeys.includes(key))) {
    return bad(401, 'unauthorized', 'Missing or invalid API key');
  }
  const context: Record<string, string> = {};
  for (const name of api.requiredHeaders) {
    const value = headers[name.toLowerCase()];
    if (value === undefined || value.trim() === '') return bad(400, 'missing_header', `The ${name} header is required.`);
    if (name.toLowerCase() !== 'idempotency-key') context[name.toLowerCase()] = value.trim();
  }
  for (const [name, value] of Object.entries(params)) {
    const pattern = emulation.params[name];
    if (pattern !== undefined && !pattern.test(value)) return bad(400, 'invalid_parameter', `${name} must match ${pattern.source}.`);
    context[name] = value;
  }
  const idempotencyKey = api.requiredHeaders.some((h) => h.toLowerCase() === 'idempotency-key') ? headers['idempotency-key']?.trim() : undefined;
  if (idempotencyKey !== undefined) {
    const earlier = state.replies.get(`${key}\u0000${idempotencyKey}`);
    if (earlier !== undefined) return earlier;
  }

  let body: unknown = rawBody;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return bad(400, 'invalid_json', 'The request body is not JSON.');
    }
  }
  if (!isPlainObject(body)) return bad(400, 'invalid_body', 'The request body must be a JSON object with url and events.');
  const url = checkUrl(body['url']);
  if (url === undefined) return bad(400, 'invalid_url', '`url` must be an HTTPS URL.');
  const events = body['events'];
  const known = new Set([...profile.events, ...profile.otherEvents, '*']);
  if (!Array.isArray(events) || events.length === 0 || !events.every((e): e is string => typeof e === 'string' && known.has(e))) {
    return bad(400, 'invalid_events', `\`events\` must be a non-empty list of: ${[...known].join(', ')}.`);
  }
  let secret: string | undefined;
  if (emulation.acceptsSecret) {
    if (body['secret'] !== undefined && (typeof body['secret'] !== 'string' || body['secret'] === '')) {
      return bad(400, 'invalid_secret', '`secret` must be a non-empty string.');
    }
    secret = body['secret'] as string | undefined;
  } else if (api.returnsSecret) {
    secret = emulation.newSecret(state.random);
  } else {
    secret = state.senderSecret;
  }
  const enabled = body['enabled'];
  if (enabled !== undefined && typeof enabled !== 'boolean') return bad(400, 'invalid_enabled', '`enabled` must be a boolean.');
  const description = typeof body['description'] === 'string' ? body['description'] : undefined;

  const nowMs = state.now();
  const subscription: Subscription = Object.freeze({
    id: emulation.newId(state.random, nowMs),
    url,
    events: Object.freeze([...events]),
    enabled: enabled ?? true,
    secret,
    createdAt: isoSeconds(nowMs),
    context: Object.freeze(context),
  });
  state.subscriptions.push(subscription);
  const reply: ApiReply = { status: emulation.createdStatus, body: emulation.created(subscription, description === undefined ? {} : { description }) };
  if (idempotencyKey !== undefined) state.replies.set(`${key}\u0000${idempotencyKey}`, reply);
  return reply;
}
