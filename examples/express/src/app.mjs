// @ts-check
// An Express app that receives Aidelly webhooks: each delivery is verified on the raw
// bytes, de-duplicated, and handled before the 200, so a handler that fails makes
// Aidelly retry instead of losing the event.
import express from 'express';
import { createReceiver, webhook } from '@hookproof/express';


/**
 * What this app keeps of a delivery (your database row).
 * @typedef {object} PostUpdate
 * @property {string} postId
 * @property {'published' | 'failed' | 'canceled'} status
 * @property {string} [platformPostId]
 */

/**
 * @typedef {object} AppOptions
 * @property {string} [secret] Default: $AIDELLY_WEBHOOK_SECRET. There is no fallback: without either, createApp throws
 *   (a default secret would be one anyone could sign with).
 * @property {(update: PostUpdate) => void | Promise<void>} [save] Persists an update. A throw answers 500, and Aidelly retries.
 * @property {(message: string) => void} [warn] Where refused deliveries are logged. Default: console.warn.
 */

/**
 * @param {AppOptions} [options]
 * @returns {import('express').Express}
 */
export function createApp(options = {}) {
  const secret = options.secret ?? process.env.AIDELLY_WEBHOOK_SECRET;
  if (!secret) throw new Error('AIDELLY_WEBHOOK_SECRET is not set: the signing secret from Aidelly is required. For a local run, any string, passed to the hookproof CLI as --secret too.');
  const save = options.save ?? ((update) => console.log('saved', update));
  const warn = options.warn ?? console.warn;

  const receiver = createReceiver({ vendor: 'aidelly', secret })
    .onAny(async (event) => {
      // `event` is the union of Aidelly's events: narrowing on `type` types the payload.
      if (event.type === 'post.published') {
        const { post_id, platform_post_id } = event.payload.data; // both required in this event
        await save({ postId: post_id, status: 'published', platformPostId: platform_post_id });
      } else if (event.type === 'post.failed' || event.type === 'post.canceled') {
        await save({ postId: event.payload.data.post_id ?? 'unknown', status: event.type === 'post.failed' ? 'failed' : 'canceled' });
      }
      // post.created, post.scheduled and undocumented events are acknowledged and ignored.
    })
    .onError((error, event) => {
      // The hint names the fix; it is for logs only and never sent back to the caller.
      warn(`[aidelly] ${error.code} (${error.status}) ${error.hint ?? ''} ${event?.id ?? ''}`.trim());
    });

  const app = express();
  // The webhook route reads the raw body itself: mount it before any JSON parser.
  app.post('/webhooks/aidelly', webhook(receiver));
  app.use(express.json());
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}
