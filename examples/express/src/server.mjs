// @ts-check
// `npm start`: the app on 127.0.0.1 (PORT, default 3000).
import { createApp } from './app.mjs';

if (!process.env.AIDELLY_WEBHOOK_SECRET) {
  console.error('AIDELLY_WEBHOOK_SECRET is not set: the app does not start without its signing secret (there is no default anyone could sign with).');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);
createApp().listen(port, '127.0.0.1', () => {
  console.log(`Aidelly webhooks: POST http://127.0.0.1:${port}/webhooks/aidelly`);
});
