// app.ts
import express, { type Express } from 'express';
import { createReceiver, webhook } from '@hookproof/express';

export function createApp(savePost: (postId: string) => Promise<void>, secret = process.env.AIDELLY_WEBHOOK_SECRET): Express {
  // No default: a secret everyone can read would let anyone sign a delivery.
  if (!secret) throw new Error('Set AIDELLY_WEBHOOK_SECRET to the signing secret from Aidelly.');
  const receiver = createReceiver({ vendor: 'aidelly', secret }).onAny(async (event) => {
    if (event.type === 'post.published') {
      await savePost(event.payload.data.post_id); // narrowed: Aidelly's post.published payload, no cast
    }
  });
  const app = express();
  app.post('/webhooks/aidelly', webhook(receiver)); // before any JSON parser: it reads the raw body
  app.use(express.json());
  return app;
}

// server.ts: createApp(yourDatabaseWrite).listen(3000, '127.0.0.1');
