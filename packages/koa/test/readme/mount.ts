import Koa from 'koa';
import { webhook } from '@hookproof/koa';

const app = new Koa()
  .use(webhook({ vendor: 'aidelly', secret: process.env.AIDELLY_WEBHOOK_SECRET! }))
  .use((ctx) => {
    const event = ctx.state.webhook; // exactly Aidelly's events
    if (event.type === 'post.published') {
      console.log('published on', event.payload.data.platform, event.payload.data.platform_post_id);
    }
    ctx.status = 204;
  });

export default app;
