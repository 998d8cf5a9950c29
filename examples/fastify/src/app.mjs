// @ts-check
// A Fastify app that receives Timbrix webhooks: each delivery is verified on the raw
// bytes, de-duplicated, and handled before the 200, so a handler that fails makes
// Timbrix retry instead of losing the event.
import Fastify from 'fastify';
import hookproof, { createReceiver } from '@hookproof/fastify';


/**
 * What this app keeps of a delivery (your database row).
 * @typedef {object} MembershipChange
 * @property {string} eventId Timbrix's event id: the same across retries.
 * @property {'added' | 'removed' | 'role_updated'} change
 */

/**
 * @typedef {object} AppOptions
 * @property {string} [secret] Default: $TIMBRIX_WEBHOOK_SECRET. There is no fallback: without either, createApp throws
 *   (a default secret would be one anyone could sign with).
 * @property {(change: MembershipChange) => void | Promise<void>} [save] Persists a change. A throw answers 500, and Timbrix retries.
 * @property {(message: string) => void} [warn] Where refused deliveries are logged. Default: console.warn.
 */

/** @param {AppOptions} [options] */
export function createApp(options = {}) {
  const secret = options.secret ?? process.env.TIMBRIX_WEBHOOK_SECRET;
  if (!secret) throw new Error('TIMBRIX_WEBHOOK_SECRET is not set: the signing secret from Timbrix is required. For a local run, any string, passed to the hookproof CLI as --secret too.');
  const save = options.save ?? ((change) => console.log('saved', change));
  const warn = options.warn ?? console.warn;

  const receiver = createReceiver({ vendor: 'timbrix', secret })
    .on(['member.added', 'member.removed', 'member.role_updated'], async (event) => {
      // `event.type` is exactly these three names: a typo in a comparison does not compile.
      const change = event.type === 'member.added' ? 'added' : event.type === 'member.removed' ? 'removed' : 'role_updated';
      await save({ eventId: event.id, change });
    })
    .onError((error, event) => {
      // The hint names the fix; it is for logs only and never sent back to the caller.
      warn(`[timbrix] ${error.code} (${error.status}) ${error.hint ?? ''} ${event?.id ?? ''}`.trim());
    });

  const app = Fastify();
  // With `path`, the plugin adds POST /webhooks/timbrix in a scope of its own (raw bodies
  // there only); the rest of the app keeps Fastify's JSON parsing.
  app.register(hookproof, { receiver, path: '/webhooks/timbrix' });
  app.get('/healthz', async () => ({ ok: true }));
  return app;
}
