// @ts-check
// A Hono app (Fetch API: the same code runs on Node, Bun, Deno, Cloudflare Workers) that
// receives Autoposting.ai webhooks: each delivery is verified on the raw bytes, checked
// against the 5-minute replay window, de-duplicated, and handled before the 200.
import { Hono } from 'hono';
import { createReceiver, handleWebhook } from '@hookproof/core';


/**
 * What this app keeps of a delivery (your database row).
 * @typedef {object} PostStatus
 * @property {string} eventId Autoposting's `evt_…` id: the same across retries.
 * @property {string} orgId
 * @property {'published' | 'failed'} outcome
 */

/**
 * @typedef {object} AppOptions
 * @property {string} [secret] Default: $AUTOPOSTING_WEBHOOK_SECRET. There is no fallback: without either, createApp throws
 *   (a default secret would be one anyone could sign with).
 * @property {(status: PostStatus) => void | Promise<void>} [save] Persists a status. A throw answers 500, and Autoposting retries.
 * @property {(message: string) => void} [warn] Where refused deliveries are logged. Default: console.warn.
 * @property {() => number} [now] The clock of the replay window, in ms (tests pass the mock sender's). Default: Date.now.
 */

/** @param {AppOptions} [options] */
export function createApp(options = {}) {
  const secret = options.secret ?? process.env.AUTOPOSTING_WEBHOOK_SECRET;
  if (!secret) throw new Error('AUTOPOSTING_WEBHOOK_SECRET is not set: the signing secret from Autoposting.ai is required. For a local run, any string, passed to the hookproof CLI as --secret too.');
  const save = options.save ?? ((status) => console.log('saved', status));
  const warn = options.warn ?? console.warn;

  // Created once, with the app: its in-memory dedupe store must outlive each request.
  const receiver = createReceiver({ vendor: 'autoposting', secret, ...(options.now ? { now: options.now } : {}) })
    .onAny(async (event) => {
      // `event` is the union of Autoposting's events: narrowing on `type` types the payload.
      if (event.type === 'post.published' || event.type === 'post.failed') {
        await save({ eventId: event.id, orgId: event.payload.orgId, outcome: event.type === 'post.published' ? 'published' : 'failed' });
      } else if (!event.documented && String(event.type) === 'token.expired') {
        // Named on Autoposting's "Webhooks" concept page only, not in its API's event enum:
        // delivered as an undocumented event, so its payload is untyped.
        warn(`[autoposting] a social account of ${String(event.payload['orgId'])} needs reconnecting`);
      }
    })
    .onError((error, event) => {
      // The hint names the fix; it is for logs only and never sent back to the caller.
      warn(`[autoposting] ${error.code} (${error.status}) ${error.hint ?? ''} ${event?.id ?? ''}`.trim());
    });

  const app = new Hono();
  // c.req.raw is the untouched Request: no body-parsing middleware on this route.
  app.post('/webhooks/autoposting', (c) => handleWebhook(c.req.raw, receiver));
  app.get('/healthz', (c) => c.json({ ok: true }));
  return app;
}
