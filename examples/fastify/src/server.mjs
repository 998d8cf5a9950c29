// @ts-check
// `npm start`: the app on 127.0.0.1 (PORT, default 3001).
import { createApp } from './app.mjs';

if (!process.env.TIMBRIX_WEBHOOK_SECRET) {
  console.error('TIMBRIX_WEBHOOK_SECRET is not set: the app does not start without its signing secret (there is no default anyone could sign with).');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3001);
const app = createApp();
await app.listen({ port, host: '127.0.0.1' });
console.log(`Timbrix webhooks: POST http://127.0.0.1:${port}/webhooks/timbrix`);
