import express, { type Express } from 'express';
import { createReceiver, webhook } from '@hookproof/express';

const receiver = createReceiver({ vendor: 'timbrix', secret: process.env.TIMBRIX_WEBHOOK_SECRET! });

receiver.on('member.added', async (event) => {
  console.log('member added', event.id);
});
receiver.onError((error) => {
  console.warn('webhook failed', error.code, error.hint);
});

const app: Express = express();
app.post('/hooks/timbrix', webhook(receiver));

export default app;
