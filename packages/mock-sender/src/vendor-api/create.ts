import { isoSeconds } from '../clock.js';
import { isPlainObject } from '../merge.js';
import type { Subscription } from '../types.js';
import { fingerprint, IDEMPOTENCY_CONFLICT, type ApiReply } from './idempotency.js';
import { authenticate, errorReply, requireHeaders, type ApiRequest, type ApiState } from './request.js';
import { checkWebhookUrl } from './url.js';

/** `string` bodies are JSON text (nock hands over parsed JSON or the raw text, depending on the request). */
function parseBody(raw: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof raw !== 'string') return { ok: true, value: raw };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The `events` a create call may name, and the 400 message listing them. */
function checkEvents(
  state: ApiState,
  events: unknown,
): { ok: true; events: readonly string[] } | { ok: false; message: string } {
  const { profile, emulation } = state;
  const names = emulation.subscribable ?? [...profile.events, ...profile.otherEvents];
  const accepted = new Set(emulation.wildcard === undefined ? names : [...names, emulation.wildcard]);
  if (
    Array.isArray(events) &&
    events.length > 0 &&
    events.every((e): e is string => typeof e === 'string' && accepted.has(e))
  )
    return { ok: true, events };
  const noWildcard =
    emulation.wildcard === undefined && Array.isArray(events) && events.includes('*')
      ? ` (${profile.name} documents no "*" wildcard: name each event)`
      : '';
  return { ok: false, message: `\`events\` must be a non-empty list of: ${[...accepted].join(', ')}${noWildcard}.` };
}

/**
 * The vendor's create-webhook endpoint, without any HTTP: checks the API key, the
 * caller's role, the required headers and path parameters, replays (or refuses) a known
 * Idempotency-Key, validates the body, records the subscription and answers as the
 * vendor documents (or as assumed).
 */
export function createWebhook(state: ApiState, request: ApiRequest): ApiReply {
  const { profile, emulation } = state;
  const api = profile.api!;
  const bad = (status: number, code: string, message: string): ApiReply => errorReply(state, status, code, message);

  const auth = authenticate(state, request.headers);
  if ('reply' in auth) return auth.reply;
  const { roles } = emulation;
  if (
    roles !== undefined &&
    state.role !== undefined &&
    !roles.allowed.some((r) => r.toLowerCase() === state.role!.toLowerCase())
  ) {
    return bad(403, 'forbidden', roles.message);
  }
  const required = requireHeaders(state, api.requiredHeaders, request.headers);
  if ('reply' in required) return required.reply;
  const { 'idempotency-key': idempotencyKey, ...context } = required.values;
  for (const [name, value] of Object.entries(request.params)) {
    const pattern = emulation.params[name];
    if (pattern !== undefined && !pattern.test(value))
      return bad(400, 'invalid_parameter', `${name} must match ${pattern.source}.`);
    context[name] = value;
  }

  const parsed = parseBody(request.body);
  const print = fingerprint(api.method, api.path, context, parsed.ok ? parsed.value : request.body);
  if (idempotencyKey !== undefined) {
    const earlier = state.idempotency.recall(auth.key, idempotencyKey, print);
    if (earlier.kind === 'replay') return earlier.reply;
    if (earlier.kind === 'conflict')
      return bad(IDEMPOTENCY_CONFLICT.status, IDEMPOTENCY_CONFLICT.code, IDEMPOTENCY_CONFLICT.message);
  }

  if (!parsed.ok) return bad(400, 'invalid_json', 'The request body is not JSON.');
  const body = parsed.value;
  if (!isPlainObject(body))
    return bad(400, 'invalid_body', 'The request body must be a JSON object with url and events.');
  const url = checkWebhookUrl(body['url']);
  if (!url.ok) return bad(400, 'invalid_url', url.message);
  const events = checkEvents(state, body['events']);
  if (!events.ok) return bad(400, 'invalid_events', events.message);
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
  if (enabled !== undefined && typeof enabled !== 'boolean')
    return bad(400, 'invalid_enabled', '`enabled` must be a boolean.');
  const description = typeof body['description'] === 'string' ? body['description'] : undefined;
  // Fields no vendor text mentions (e.g. `headers` on Aidelly, whose guide is silent on
  // custom delivery headers) are ignored, not refused: silence is not a documented "no".

  const nowMs = state.now();
  const subscription: Subscription = Object.freeze({
    id: emulation.newId(state.random, nowMs),
    url: url.href,
    events: Object.freeze([...events.events]),
    enabled: enabled ?? true,
    secret,
    createdAt: isoSeconds(nowMs),
    context: Object.freeze(context),
  });
  const extra = description === undefined ? {} : { description };
  state.store.add(subscription, extra);
  const reply: ApiReply = { status: emulation.createdStatus, body: emulation.created(subscription, extra) };
  if (idempotencyKey !== undefined) state.idempotency.remember(auth.key, idempotencyKey, print, reply);
  return reply;
}
