import type { AudenciData, AudenciEnvelope, AudenciEvents, AudenciPostPublishedData } from '@hookproof/core';
import { isoSeconds } from '../clock.js';
import { dataFor, type DataBuilders, type EnvelopeTemplate, type TemplateContext } from './template.js';

// Audenci's help page "Webhook Integrations & API Usage" shows post.published in full
// ("Webhook Payload") and names the rest ("Object data (post, campaign, etc.)"). Post events
// reuse the post fields of that example; events whose object the page never shows
// (campaign, follower milestone, comment, mention) carry empty data rather than invented
// fields. Pass your own through overrides.

const TITLES = [
  'Summer Sale Announcement',
  'New Product Launch',
  'Customer Story: How Teams Ship Faster',
  'Weekly Tips Roundup',
  'Behind the Scenes at Our Studio',
];
// The help page shows instagram and facebook (in its webhook example and its API example).
const PLATFORMS = ['instagram', 'facebook'] as const;
const HOUR = 3_600_000;

function platformPostId(ctx: TemplateContext, platform: string): string {
  return platform === 'facebook' ? `${ctx.random.digits(15)}_${ctx.random.digits(16)}` : ctx.random.digits(17);
}

function platforms(ctx: TemplateContext): string[] {
  return ctx.random.int(2) === 0 ? [ctx.random.pick(PLATFORMS)] : [...PLATFORMS];
}

function upcoming(ctx: TemplateContext): AudenciData {
  return {
    postId: ctx.random.cuid(ctx.nowMs),
    title: ctx.random.pick(TITLES),
    platforms: platforms(ctx),
    scheduledFor: isoSeconds(Math.ceil(ctx.nowMs / HOUR) * HOUR + 24 * HOUR),
  };
}

function outcome(success: boolean) {
  return (ctx: TemplateContext) => {
    const list = platforms(ctx);
    const results: Record<string, { success: boolean; postId?: string }> = {};
    for (const p of list) results[p] = success ? { success, postId: platformPostId(ctx, p) } : { success };
    return {
      postId: ctx.random.cuid(ctx.nowMs - HOUR),
      title: ctx.random.pick(TITLES),
      platforms: list,
      // The help page's example: scheduled 10:00, delivered 10:30.
      scheduledFor: isoSeconds(Math.floor((ctx.nowMs - HOUR / 2) / 300_000) * 300_000),
      platformResults: results,
    } satisfies AudenciPostPublishedData;
  };
}

const empty = (): AudenciData => ({});

const data: DataBuilders<AudenciEvents> = {
  'post.created': upcoming,
  'post.published': outcome(true),
  'post.failed': outcome(false),
  'post.status_changed': upcoming,
  'campaign.started': empty,
  'campaign.ended': empty,
  'analytics.updated': (ctx) => ({ postId: ctx.random.cuid(ctx.nowMs - 24 * HOUR) }),
  'follower.milestone': empty,
  'comment.received': empty,
  'mention.detected': empty,
};

export const audenciTemplate: EnvelopeTemplate = {
  build(ctx) {
    const payload = dataFor(data, ctx);
    // Field order as in the help page's example; userId is promised in prose only: not sent.
    const envelope: AudenciEnvelope<string, unknown> = {
      event: ctx.type,
      timestamp: isoSeconds(ctx.nowMs),
      data: payload,
      organizationId: ctx.random.cuid(ctx.nowMs - 400 * 24 * HOUR),
      brandId: ctx.random.cuid(ctx.nowMs - 300 * 24 * HOUR),
    };
    return { ...envelope };
  },
};
