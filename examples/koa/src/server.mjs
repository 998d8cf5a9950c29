// @ts-check
// `npm start`: the app on 127.0.0.1 (PORT, default 3002).
import { createApp } from './app.mjs';

if (!process.env.AUDENCI_WEBHOOK_SECRET) {
  console.warn('AUDENCI_WEBHOOK_SECRET is not set: using the development default from src/app.mjs.');
}
const port = Number(process.env.PORT ?? 3002);
createApp().listen(port, '127.0.0.1', () => {
  console.log(`Audenci webhooks: POST http://127.0.0.1:${port}/webhooks/audenci`);
});
