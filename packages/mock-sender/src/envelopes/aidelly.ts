import type { AidellyEnvelope, AidellyEvents, AidellyPostData, AidellyPostPublishedData } from '@hookproof/core';
import { isoSeconds } from '../clock.js';
import { dataFor, type DataBuilders, type EnvelopeTemplate, type TemplateContext } from './template.js';

// The Aidelly REST API guide ("Webhooks" page, "Payload shape") shows one payload in full
// (post.published) and only names the other four events; they get the post identity
// fields of that example and nothing invented. It shows "platform": "linkedin" only, so
// that is the one platform generated.

function post(ctx: TemplateContext): AidellyPostData {
  return { post_id: ctx.random.uuid(), platform: 'linkedin' };
}

function published(ctx: TemplateContext): AidellyPostPublishedData {
  return {
    post_id: ctx.random.uuid(),
    platform: 'linkedin',
    status: 'completed',
    // The guide's example: published_at precedes created_at by two seconds.
    published_at: isoSeconds(ctx.nowMs - 2000),
    platform_post_id: `urn:li:share:${ctx.random.digits(19)}`,
  };
}

const data: DataBuilders<AidellyEvents> = {
  'post.created': post,
  'post.scheduled': post,
  'post.published': published,
  'post.failed': post,
  'post.canceled': post,
};

export const aidellyTemplate: EnvelopeTemplate = {
  build(ctx) {
    // Field order as in the guide's "Payload shape"; ids are uuids there ("uuid").
    const workspace = ctx.random.uuid();
    const brand = ctx.random.uuid();
    const envelope: AidellyEnvelope<string, unknown> = {
      event: ctx.type,
      workspace_id: workspace,
      brand_id: brand,
      data: dataFor(data, ctx),
      created_at: isoSeconds(ctx.nowMs),
    };
    return { ...envelope };
  },
};
