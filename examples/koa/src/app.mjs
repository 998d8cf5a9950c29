// @ts-check
// A Koa app that receives Audenci webhooks: each delivery is verified on the raw bytes,
// de-duplicated, and handled before the 200, so a handler that fails makes Audenci
// retry instead of losing the event.
import Koa from 'koa';
import { createReceiver, webhook } from '@hookproof/koa';


/**
 * What this app keeps of a delivery (your database row).
 * @typedef {object} PostOutcome
 * @property {string} postId
 * @property {string} title
 * @property {string[]} publishedOn Platforms where the post went out.
 * @property {string[]} failedOn Platforms where it did not.
 */

/**
 * @typedef {object} AppOptions
 * @property {string} [secret] Default: $AUDENCI_WEBHOOK_SECRET. There is no fallback: without either, createApp throws
 *   (a default secret would be one anyone could sign with).
 * @property {string} [token] Audenci lets you add a header to its deliveries: when set, every delivery must carry
 *   `Authorization: Bearer <token>`. Default: $AUDENCI_WEBHOOK_TOKEN (none if unset).
 * @property {(outcome: PostOutcome) => void | Promise<void>} [save] Persists an outcome. A throw answers 500, and Audenci retries.
 * @property {(message: string) => void} [warn] Where refused deliveries are logged. Default: console.warn.
 */

/** @param {AppOptions} [options] */
export function createApp(options = {}) {
  const secret = options.secret ?? process.env.AUDENCI_WEBHOOK_SECRET;
  if (!secret) throw new Error('AUDENCI_WEBHOOK_SECRET is not set: the signing secret from Audenci is required. For a local run, any string, passed to the hookproof CLI as --secret too.');
  const token = options.token ?? process.env.AUDENCI_WEBHOOK_TOKEN;
  const save = options.save ?? ((outcome) => console.log('saved', outcome));
  const warn = options.warn ?? console.warn;

  const receiver = createReceiver({
    vendor: 'audenci',
    secret,
    // Compared in constant time, as a second factor next to the signature.
    ...(token ? { requiredHeaders: { authorization: `Bearer ${token}` } } : {}),
  })
    .onAny(async (event) => {
      // `event` is the union of Audenci's events: narrowing on `type` types the payload.
      if (event.type === 'post.published') {
        const { postId, title, platformResults } = event.payload.data;
        const platforms = Object.entries(platformResults);
        await save({
          postId,
          title,
          publishedOn: platforms.filter(([, result]) => result.success).map(([platform]) => platform),
          failedOn: platforms.filter(([, result]) => !result.success).map(([platform]) => platform),
        });
      } else if (event.type === 'campaign.started' || event.type === 'campaign.ended') {
        console.log(event.type, 'for brand', event.payload.brandId);
      }
    })
    .onError((error, event) => {
      // The hint names the fix; it is for logs only and never sent back to the caller.
      warn(`[audenci] ${error.code} (${error.status}) ${error.hint ?? ''} ${event?.id ?? ''}`.trim());
    });

  const audenciWebhook = webhook(receiver);
  const app = new Koa();
  // Only this route reads raw bodies; a router (@koa/router) works the same way.
  app.use((ctx, next) => (ctx.method === 'POST' && ctx.path === '/webhooks/audenci' ? audenciWebhook(ctx, next) : next()));
  app.use((ctx) => {
    if (ctx.method === 'GET' && ctx.path === '/healthz') ctx.body = { ok: true };
  });
  return app;
}
