// @ts-check
// `npm start`: the app on 127.0.0.1 (PORT, default 3003).
import { createApp } from './app.mjs';
import { serve } from './node-server.mjs';

if (!process.env.AUTOPOSTING_WEBHOOK_SECRET) {
  console.warn('AUTOPOSTING_WEBHOOK_SECRET is not set: using the development default from src/app.mjs.');
}
const port = Number(process.env.PORT ?? 3003);
const app = createApp();
serve(app.fetch).listen(port, '127.0.0.1', () => {
  console.log(`Autoposting.ai webhooks: POST http://127.0.0.1:${port}/webhooks/autoposting`);
});
