import type { AutopostingEnvelope, AutopostingEvents } from '@hookproof/core';
import { isoSeconds } from '../clock.js';
import { dataFor, type DataBuilders, type EnvelopeTemplate } from './template.js';

// The Autoposting.ai "Webhooks" concept page documents the envelope
// `{ id: "evt_…", event, timestamp, orgId, data }` and nothing inside `data`, so data is
// empty unless overridden. Ids follow the vendor's own style: the API reference's "Create a
// webhook endpoint" shows the webhook id `wh_01HXYZ`, a prefix and a ULID.

const empty = () => ({});

const data: DataBuilders<AutopostingEvents> = {
  'post.published': empty,
  'post.failed': empty,
  'post.scheduled': empty,
  'clip.render.completed': empty,
  'clip.render.failed': empty,
  'agent.run.completed': empty,
  'agent.run.failed': empty,
};
// post.partial, post.cancelled and token.expired (concept page only) are sent through
// `sender.undocumented()`, with empty data like every other event here.

export const autopostingTemplate: EnvelopeTemplate = {
  build(ctx) {
    const envelope: AutopostingEnvelope = {
      id: `evt_${ctx.random.ulid(ctx.nowMs)}`,
      event: ctx.type,
      timestamp: isoSeconds(ctx.nowMs),
      // Assumed format: the concept page names orgId without an example.
      orgId: `org_${ctx.random.ulid(ctx.nowMs - 400 * 86_400_000)}`,
      data: dataFor(data, ctx) as AutopostingEnvelope['data'],
    };
    return { ...envelope };
  },
};
