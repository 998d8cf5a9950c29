import Koa from 'koa';
import { bodyParser } from '@koa/bodyparser';
import { webhook } from '@hookproof/koa';

const app = new Koa()
  .use(bodyParser()) // keeps ctx.request.rawBody
  .use(webhook({ vendor: 'aidelly', secret: process.env.AIDELLY_WEBHOOK_SECRET! }))
  .use((ctx) => {
    ctx.body = { received: ctx.state.webhook.type };
  });

export default app;
