import Koa from 'koa';
import { createReceiver, webhook } from '@hookproof/koa';

const receiver = createReceiver({ vendor: 'timbrix', secret: process.env.TIMBRIX_WEBHOOK_SECRET! });

receiver.on('member.added', async (event) => {
  console.log('member added', event.id);
});
receiver.onError((error) => {
  console.warn('webhook failed', error.code, error.hint);
});

const app = new Koa().use(webhook(receiver));

export default app;
