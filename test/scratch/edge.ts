// An edge project (Workers, Vercel Edge, Deno): DOM/Web types, no @types/node.
import { handleWebhook, verify, type VerifyResult } from '@hookproof/core';

interface Env {
  readonly AIDELLY_WEBHOOK_SECRET: string;
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    return handleWebhook(request, { vendor: 'aidelly', secret: env.AIDELLY_WEBHOOK_SECRET });
  },
};

export async function check(request: Request, secret: string): Promise<VerifyResult<'timbrix'>> {
  return verify({ vendor: 'timbrix', body: new Uint8Array(await request.arrayBuffer()), headers: request.headers, secret });
}
