import type { FastifyInstance } from 'fastify';
import hookproof from '@hookproof/fastify';

export async function webhookRoutes(hooks: FastifyInstance): Promise<void> {
  await hooks.register(hookproof, {
    vendor: 'auto', // told apart by which signature header is present
    secret: { aidelly: process.env.AIDELLY_WEBHOOK_SECRET!, timbrix: process.env.TIMBRIX_WEBHOOK_SECRET! },
  });
  hooks.post<{ Webhook: 'aidelly' | 'timbrix' }>('/hooks', async (request, reply) => {
    const event = request.webhook;
    if (event.vendor === 'timbrix' && event.type === 'member.added') console.log('new member', event.id);
    return reply.code(204).send();
  });
}
