import Fastify, { type FastifyInstance } from 'fastify';
import hookproof, { createReceiver } from '@hookproof/fastify';

const receiver = createReceiver({ vendor: 'timbrix', secret: process.env.TIMBRIX_WEBHOOK_SECRET! });

receiver.on('member.added', async (event) => {
  console.log('member added', event.id);
});
receiver.onError((error) => {
  console.warn('webhook failed', error.code, error.hint);
});

const app: FastifyInstance = Fastify();
app.register(hookproof, { receiver, path: '/hooks/timbrix' });

export default app;
