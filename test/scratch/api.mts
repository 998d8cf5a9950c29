// Compiled with moduleResolution node16 (ESM) and bundler: the public API as a user types it.
import {
  createReceiver,
  defineVendor,
  diagnose,
  handleWebhook,
  isWebhookError,
  sign,
  vendors,
  verify,
  WebhookError,
  type Diagnosis,
  type VerifyResult,
  type WebhookErrorCode,
  type WebhookEvent,
  type TimbrixEvents,
} from '@hookproof/core';

export async function check(body: Uint8Array, headers: Headers): Promise<string> {
  const result: VerifyResult<'aidelly'> = await verify({ vendor: 'aidelly', body, headers, secret: ['a', 'b'] });
  if (!result.ok) {
    const code: WebhookErrorCode = result.error.code;
    const status: number = result.error.status;
    return `${code} ${status} ${String(isWebhookError(result.error))} ${String(result.error instanceof WebhookError)}`;
  }
  const event: WebhookEvent<'aidelly'> = result.event;
  if (event.type === 'post.published') {
    const id: string = event.payload.data.platform_post_id;
    return id;
  }
  // @ts-expect-error a typo in an event name is a compile error, so the types are not `any`
  if (event.type === 'post.publishd') return 'never';
  return String(event.type);
}

export const receiver = createReceiver({ vendor: 'autoposting', secret: 's', allowUnsigned: true })
  .on('post.published', (e) => {
    const org: string = e.payload.orgId;
    return org;
  })
  // @ts-expect-error not an Autoposting event
  .on('member.added', () => undefined);

export const timbrix = defineVendor<TimbrixEvents, 'timbrix'>({ ...vendors.timbrix, typeFields: ['kind'] });
export const handler = (request: Request): Promise<Response> => handleWebhook(request, { vendor: timbrix, secret: 's' });
export const headers: Promise<Record<string, string>> = sign({ vendor: 'timbrix', body: '{}', secret: 's' });
export const why: Promise<Diagnosis> = diagnose({ vendor: 'aidelly', body: '{}', headers: {}, secret: 's' });
