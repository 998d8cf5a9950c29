import express, { type Express } from 'express';
import { webhook } from '@hookproof/express';

const app: Express = express();

// The webhook route reads the raw body itself: mount it before any global body parser.
app.post('/hooks/aidelly', webhook({ vendor: 'aidelly', secret: process.env.AIDELLY_WEBHOOK_SECRET! }), (req, res) => {
  const event = res.locals.webhook; // exactly Aidelly's events; req.webhook holds the same
  if (event.type === 'post.published') {
    console.log('published on', event.payload.data.platform, event.payload.data.platform_post_id);
  }
  res.sendStatus(204);
});

app.use(express.json()); // the rest of the app parses JSON as usual

export default app;
