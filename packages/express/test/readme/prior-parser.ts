import express, { type Express } from 'express';
import { keepRawBody, webhook } from '@hookproof/express';

const app: Express = express();
app.use(express.json({ verify: keepRawBody })); // keeps the exact bytes on req.rawBody

app.post('/hooks/aidelly', webhook({ vendor: 'aidelly', secret: process.env.AIDELLY_WEBHOOK_SECRET! }), (req, res) => {
  res.json({ received: req.webhook?.type });
});

export default app;
