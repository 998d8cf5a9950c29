import Fastify, { type FastifyInstance } from 'fastify';
import hookproof from '@hookproof/fastify';

const app: FastifyInstance = Fastify();

// Register the plugin inside the scope that holds the webhook routes: it parses that
// scope's bodies as raw Buffers, and the rest of the app keeps Fastify's JSON parsing.
app.register(async (hooks) => {
  await hooks.register(hookproof, { vendor: 'aidelly', secret: process.env.AIDELLY_WEBHOOK_SECRET! });

  hooks.post<{ Webhook: 'aidelly' }>('/hooks/aidelly', async (request, reply) => {
    const event = request.webhook; // exactly Aidelly's events
    if (event.type === 'post.published') {
      console.log('published on', event.payload.data.platform, event.payload.data.platform_post_id);
    }
    return reply.code(204).send();
  });
});

app.post('/api/echo', async (request) => request.body); // parsed JSON, as usual

export default app;
