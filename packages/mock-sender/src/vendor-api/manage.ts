import { fingerprint, IDEMPOTENCY_CONFLICT, type ApiReply } from './idempotency.js';
import { authenticate, errorReply, requireHeaders, type ApiRequest, type ApiState } from './request.js';

/**
 * `GET` on the create path (Aidelly REST API guide, "Webhooks", Listing and deleting
 * subscriptions). Only the API key is documented for it; if the request names a
 * workspace (`x-aidelly-workspace-id`), only that workspace's subscriptions are listed
 * (assumed, as the create call scopes a subscription to one).
 */
export function listWebhooks(state: ApiState, request: ApiRequest): ApiReply {
  const list = state.emulation.list!;
  const auth = authenticate(state, request.headers);
  if ('reply' in auth) return auth.reply;
  const scoping = new Set(state.profile.api!.requiredHeaders.map((h) => h.toLowerCase()));
  scoping.delete('idempotency-key');
  const scoped = Object.entries(request.headers).filter(([name]) => scoping.has(name));
  const subs = state.store
    .all()
    .filter((s) => scoped.every(([name, value]) => s.context[name] === value.trim()))
    .map((s) => state.store.get(s.id)!);
  return { status: 200, body: list(subs) };
}

/**
 * `DELETE <path>/{id}` with the headers the vendor requires (Aidelly: Idempotency-Key).
 * The subscription is removed from the store `emit` reads, so it receives nothing more.
 * The same Idempotency-Key replays the first answer; an unknown id is a 404 (assumed).
 */
export function deleteWebhook(state: ApiState, id: string, request: ApiRequest): ApiReply {
  const remove = state.emulation.remove!;
  const auth = authenticate(state, request.headers);
  if ('reply' in auth) return auth.reply;
  const required = requireHeaders(state, remove.requiredHeaders, request.headers);
  if ('reply' in required) return required.reply;
  const idempotencyKey = required.values['idempotency-key'];
  const print = fingerprint('DELETE', `${state.profile.api!.path}/${id}`, {}, undefined);
  if (idempotencyKey !== undefined) {
    const earlier = state.idempotency.recall(auth.key, idempotencyKey, print);
    if (earlier.kind === 'replay') return earlier.reply;
    if (earlier.kind === 'conflict')
      return errorReply(state, IDEMPOTENCY_CONFLICT.status, IDEMPOTENCY_CONFLICT.code, IDEMPOTENCY_CONFLICT.message);
  }
  const removed = state.store.remove(id);
  if (removed === undefined) return errorReply(state, 404, 'not_found', `No webhook with id ${id}.`);
  const reply: ApiReply = { status: remove.status, body: remove.answer(removed) };
  if (idempotencyKey !== undefined) state.idempotency.remember(auth.key, idempotencyKey, print, reply);
  return reply;
}
