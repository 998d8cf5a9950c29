import { decodeSignatures } from './encoding.js';
import { CONFLICT, headerValues, singleHeader } from './headers.js';
import {
  describeSignedContent,
  firstHeaderValues,
  firstSingleHeader,
  parseSignatureHeader,
  signedParts,
} from './scheme.js';
import { parseTimestamp } from './timestamp.js';
import { fail, type Delivery, type Failed } from './verify-delivery.js';

// --- 3. signature header, timestamp, signed id ---------------------------------------------------

export function signature(d: Delivery): Failed | undefined {
  return d.plan.scheme.lenient ? lenientSignature(d) : schemeSignature(d);
}

/** A built-in profile read leniently (every hex or base64 spelling of the MAC in its header). */
function lenientSignature(d: Delivery): Failed | undefined {
  const { profile } = d.plan;
  const sigValues = headerValues(d.headers, d.plan.keys.signature);
  if (sigValues.length === 0) {
    if (d.plan.allowUnsigned) return undefined;
    return fail(
      d,
      'missing_signature',
      `The ${profile.signatureHeader} header is missing.`,
      profile.unsigned === 'opt-in'
        ? `${profile.name} signs only when the webhook has a secret: set one when creating the webhook ` +
            '(and pass it as `secret`), or, while the webhook has no secret, pass allowUnsigned: true without a secret.'
        : `Is this request from ${profile.name}? ` +
            `Check that a proxy does not strip the ${profile.signatureHeader} header.`,
    );
  }
  const decoded = decodeSignatures(sigValues);
  if (!decoded.ok) {
    return fail(
      d,
      decoded.reason === 'empty' ? 'missing_signature' : 'malformed_signature',
      decoded.reason === 'wrong_length'
        ? `The ${profile.signatureHeader} header does not hold a 32-byte HMAC-SHA256.`
        : `The ${profile.signatureHeader} header is not a hex or base64 HMAC-SHA256.`,
      'Pass the header value unchanged; run diagnose() for details.',
    );
  }
  let tsRaw: string | undefined;
  if (profile.signedContent === 'timestamp.body' && profile.timestampHeader !== undefined) {
    const ts = singleHeader(d.headers, d.plan.keys.timestamp ?? profile.timestampHeader);
    if (ts === undefined) {
      const hint = `${profile.name} signs "<timestamp>.<body>"; check that a proxy does not strip it.`;
      return fail(d, 'missing_timestamp', `The ${profile.timestampHeader} header is missing.`, hint);
    }
    if (ts === CONFLICT || (d.signedAt = parseTimestamp(ts)) === undefined) {
      return fail(d, 'malformed_timestamp', `The ${profile.timestampHeader} header is not one unix or ISO-8601 time.`);
    }
    tsRaw = ts;
  }
  d.macs = decoded.macs;
  d.parts = tsRaw === undefined ? [d.body] : [`${tsRaw}.`, d.body];
  return undefined;
}

/**
 * A scheme read strictly (`SigningScheme`): the signature header's entries with the
 * scheme's label, the timestamp from its header or a `t=`-style entry, the signed id, then
 * the signed content rebuilt from the template. An entry with another label is never
 * tried as an HMAC.
 */
function schemeSignature(d: Delivery): Failed | undefined {
  const { profile, scheme } = d.plan;
  const header = scheme.signatureNames[0];
  const found = firstHeaderValues(d.headers, scheme.signatureKeys);
  if (found === undefined) {
    if (d.plan.allowUnsigned) return undefined;
    const hint = `Is this request from ${profile.name}? Check that a proxy does not strip the ${header} header.`;
    return fail(d, 'missing_signature', `The ${scheme.signatureNames.join(' / ')} header is missing.`, hint);
  }
  const parsed = parseSignatureHeader(scheme, found.values);
  if (!parsed.ok) {
    const label = scheme.prefix === '' ? 'a' : `a \`${scheme.prefix}\``;
    const hmac = `HMAC-${scheme.algorithm.toUpperCase()}`;
    return fail(
      d,
      parsed.reason === 'empty' ? 'missing_signature' : 'malformed_signature',
      parsed.reason === 'no_known_label'
        ? `The ${header} header holds no ${scheme.prefix} signature; entries with other labels are not checked.`
        : parsed.reason === 'wrong_length'
          ? `The ${header} header does not hold ${label} ${scheme.macBytes}-byte ${hmac}.`
          : `The ${header} header does not hold ${label} hex or base64 ${hmac}.`,
      'Pass the header value unchanged; run diagnose() for details.',
    );
  }
  let tsRaw: string | undefined;
  if (scheme.timestamp !== undefined) {
    const { key, names, keys } = scheme.timestamp;
    const where = key === undefined ? `The ${names.join(' / ')} header` : `The ${key}= entry of ${header}`;
    const ts = key === undefined ? firstSingleHeader(d.headers, keys) : parsed.timestamp;
    if (ts === undefined) {
      const hint = `${profile.name} signs "${describeSignedContent(scheme)}"; check that a proxy does not strip it.`;
      return fail(d, 'missing_timestamp', `${where} is missing.`, hint);
    }
    if (ts === CONFLICT || (d.signedAt = parseTimestamp(ts)) === undefined) {
      return fail(d, 'malformed_timestamp', `${where} is not one unix or ISO-8601 time.`);
    }
    tsRaw = ts;
  }
  if (scheme.id !== undefined) {
    const value = firstSingleHeader(d.headers, scheme.id.keys);
    if (value === undefined || value === CONFLICT) {
      return fail(
        d,
        'malformed_signature',
        `The ${scheme.id.names.join(' / ')} header is ` +
          `${value === undefined ? 'missing' : 'sent twice with different values'}` +
          ', so the signed content cannot be rebuilt.',
        `${profile.name} signs "${describeSignedContent(scheme)}".`,
      );
    }
    d.signedId = value;
  }
  d.macs = parsed.macs;
  d.parts = signedParts(scheme, d.body, { id: d.signedId, timestamp: tsRaw });
  return undefined;
}
