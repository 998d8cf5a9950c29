import type { AidellyEnvelope, AidellyEvents, AidellyPostData, AidellyPostPublishedData } from '@hookproof/core';
import { isoSeconds } from '../clock.js';
import { dataFor, type DataBuilders, type EnvelopeTemplate, type TemplateContext } from './template.js';

// Seed 001 shows one payload in full (post.published) and only names the other four
// events; they get the post identity fields of that example and nothing invented.
// Seed 001 shows "platform": "linkedin" only, so that is the one platform generated.

function post(ctx: TemplateContext): AidellyPostData {
  return { post_id: ctx.random.uuid(), platform: 'linkedin' };
}

function published(ctx: TemplateContext): AidellyPostPublishedData {
  return {
    post_id: ctx.random.uuid(),
    platform: 'linkedin',
    status: 'completed',
    // Seed 001: published_at precedes created_at by two seconds.
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
    // Field order as in seed 001's "Payload shape"; ids are uuids there ("uuid").
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
