// @ts-check
// `npm start`: the app on 127.0.0.1 (PORT, default 3003).
import { createApp } from './app.mjs';
import { serve } from './node-server.mjs';

if (!process.env.AUTOPOSTING_WEBHOOK_SECRET) {
  console.error('AUTOPOSTING_WEBHOOK_SECRET is not set: the app does not start without its signing secret (there is no default anyone could sign with).');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3003);
const app = createApp();
serve(app.fetch).listen(port, '127.0.0.1', () => {
  console.log(`Autoposting.ai webhooks: POST http://127.0.0.1:${port}/webhooks/autoposting`);
});
