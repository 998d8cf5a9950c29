// @ts-check
// `npm start`: the app on 127.0.0.1 (PORT, default 3000).
import { createApp } from './app.mjs';

if (!process.env.AIDELLY_WEBHOOK_SECRET) {
  console.warn('AIDELLY_WEBHOOK_SECRET is not set: using the development default from src/app.mjs.');
}
const port = Number(process.env.PORT ?? 3000);
createApp().listen(port, '127.0.0.1', () => {
  console.log(`Aidelly webhooks: POST http://127.0.0.1:${port}/webhooks/aidelly`);
});
