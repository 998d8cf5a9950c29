import Koa from 'koa';
import Router from '@koa/router';
import { webhook } from '@hookproof/koa';

const router = new Router();
router.post('/hooks/timbrix', webhook({ vendor: 'timbrix', secret: process.env.TIMBRIX_WEBHOOK_SECRET! }), (ctx) => {
  ctx.body = { received: String(ctx.state.webhook?.type) };
});

const app = new Koa();
app.use(router.routes());

export default app;
