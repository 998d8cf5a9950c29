import { cryptoPort } from './crypto-node.js';
import { BodyDigestEvent, bodyDigestId, looksLikeJson, parseForm, type Draft } from './event.js';
import { singleHeader } from './headers.js';
import { parseJson } from './json.js';
import { chainWith, type MaybePromise } from './maybe.js';
import { fail, type Delivery, type Failed } from './verify-delivery.js';

// --- 6. event: type and id from the signed body ------------------------------------------------

export function parseEvent(d: Delivery): MaybePromise<Failed | undefined> {
  const { profile, keys } = d.plan;
  const { body, headers } = d;
  let text: string;
  if (typeof body === 'string') {
    text = body;
  } else {
    if (!cryptoPort.isUtf8(body)) return fail(d, 'invalid_json', 'The body is not valid UTF-8, so it is not JSON.');
    text = cryptoPort.utf8Decode(body);
  }
  const parsed = profile.bodyFormat === 'json-or-form' && !looksLikeJson(text) ? parseForm(text) : parseJson(text);
  if (!parsed.ok) return fail(d, 'invalid_json', `The body is not JSON: ${parsed.message}`);
  const payload = parsed.value;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return fail(d, 'invalid_payload', `The body is JSON but not a ${profile.name} event object.`);
  }
  const record = payload as Record<string, unknown>;

  // The type and the id come from the signed body only. Autoposting's
  // X-Autoposting-Event and X-Autoposting-Delivery headers are not covered by the
  // signature (Autoposting.ai docs, "Webhooks" concept page: the MAC is over
  // "<timestamp>.<raw body>"): taken as the type or the dedupe id they would let anyone
  // relabel a captured delivery, or replay it once per made-up delivery id.
  let type: string | undefined;
  for (const field of profile.typeFields) {
    const v = record[field];
    if (typeof v === 'string' && v !== '') {
      type = v;
      break;
    }
  }
  if (type === undefined && profile.typeFromEventHeader === true && keys.event !== undefined) {
    // Opt-in only (GitHub and Shopify name the event in a header alone): that header is not
    // signed, so a captured delivery can be relabelled; the profile says so in its docs.
    const h = singleHeader(headers, keys.event);
    if (typeof h === 'string') type = h;
  }
  let documented = type !== undefined && (profile.openEvents === true || keys.documented.has(type));
  if (type === undefined && profile.untypedEvent !== undefined) {
    // A body that names no type (the Standard Webhooks spec's own vectors): an undocumented event.
    type = profile.untypedEvent;
    documented = false;
  }
  if (type === undefined) {
    return fail(
      d,
      'invalid_payload',
      `The body has no event type (${profile.typeFields.join(' or ')}).`,
      keys.event === undefined
        ? undefined
        : `The ${profile.eventHeader} header is not signed, so it is never used as the type of a verified event.`,
    );
  }

  const { signedId, signedAt } = d;
  const deliveryHeader = signedId ?? (keys.delivery === undefined ? undefined : singleHeader(headers, keys.delivery));
  const deliveryId = typeof deliveryHeader === 'string' ? deliveryHeader : undefined;
  const vendor = profile.id;
  const raw = text;
  const payloadId = profile.idField === undefined ? undefined : record[profile.idField];
  if (typeof payloadId === 'string' && payloadId !== '') {
    d.event = { vendor, type, documented, id: payloadId, idSource: 'payload', deliveryId, signedAt, payload, raw };
  } else if (signedId !== undefined) {
    // An id header the MAC covers (Standard Webhooks' webhook-id), the same on every retry.
    d.event = { vendor, type, documented, id: signedId, idSource: 'signed-header', deliveryId, signedAt, payload, raw };
  } else if (cryptoPort.runtime === 'node') {
    // No id in the body: a digest of the raw body alone, never of the MAC (which depends on
    // the secret that matched: one event would get one id per secret during rotation).
    d.event = new BodyDigestEvent(vendor, type, documented, deliveryId, signedAt, payload, raw, body);
  } else {
    // Web Crypto's digest is a promise: the id is computed before the result resolves.
    const idSource = 'body-digest' as const;
    const draft = { vendor, type, documented, id: '', idSource, deliveryId, signedAt, payload, raw };
    return chainWith(cryptoPort.sha256(body), withDigestId, d, draft);
  }
  return undefined;
}

function withDigestId(digest: Uint8Array, d: Delivery, draft: Draft): undefined {
  d.event = { ...draft, id: bodyDigestId(digest) };
  return undefined;
}
