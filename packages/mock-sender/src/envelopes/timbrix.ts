import type { TimbrixEvents } from '@hookproof/core';
import { isoSeconds } from '../clock.js';
import { dataFor, type DataBuilders, type EnvelopeTemplate } from './template.js';

// The payload format block is missing from Timbrix's API reference ("Create a new
// webhook", "Webhook Payload"): core assumes
// `{ event, timestamp?, data }` and reads an `id` when present, so that is what is sent,
// with empty data. The `id` (a uuid, assumed) keeps two events of the same type in the
// same second distinct; without it they would be byte-identical and a receiver's
// body-digest dedupe would drop the second. Remove it with `{ id: undefined }`.
// Field names follow the profile, so `defineVendor({ ...vendors.timbrix, typeFields: ['type'] })`
// changes what the mock writes too.

const empty = () => ({});

const data: DataBuilders<TimbrixEvents> = {
  'organization.created': empty,
  'organization.updated': empty,
  'organization.deleted': empty,
  'member.added': empty,
  'member.removed': empty,
  'member.role_updated': empty,
  'invite.created': empty,
  'invite.accepted': empty,
  'invite.cancelled': empty,
  'oauth_app.created': empty,
  'oauth_app.revoked': empty,
  'webhook.created': empty,
};

export const timbrixTemplate: EnvelopeTemplate = {
  build(ctx) {
    return {
      ...(ctx.profile.idField === undefined ? {} : { [ctx.profile.idField]: ctx.random.uuid() }),
      [ctx.profile.typeFields[0] ?? 'event']: ctx.type,
      [ctx.profile.timeField ?? 'timestamp']: isoSeconds(ctx.nowMs),
      data: dataFor(data, ctx),
    };
  },
};
