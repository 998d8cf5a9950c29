import type { ParameterizedContext } from 'koa';
import { consoleLogger, type WebhookLogFields, type WebhookLogger } from '@hookproof/core';

const console_ = consoleLogger('warn');

/**
 * Koa's own error reporting as a hookproof logger: an `error` record (a handler that threw,
 * a store or secret manager down) is emitted on the app, `ctx.app.emit('error', err, ctx)`,
 * where Koa's default handler prints it and `app.on('error')` listeners see it; `warn`
 * goes to the console as one line; `info` and `debug` (forgeries anyone can send,
 * duplicates) are dropped, as by hookproof's default. One object per delivery, methods on
 * the prototype: no closures.
 */
export class KoaLog implements WebhookLogger {
  private readonly ctx: ParameterizedContext;

  constructor(ctx: ParameterizedContext) {
    this.ctx = ctx;
  }

  error(fields: WebhookLogFields, message: string): void {
    // The message is the one line hookproof logs (code, vendor, event, cause); Koa prints
    // `err.stack`, so the stack is that line too: the cause keeps its own stack.
    const error = new Error(message, { cause: fields.err });
    error.name = 'WebhookDeliveryError';
    error.stack = `${error.name}: ${message}`;
    Object.assign(error, { webhook: fields.webhook, status: fields.webhook.status, expose: false });
    this.ctx.app.emit('error', error, this.ctx);
  }

  warn(fields: WebhookLogFields, message: string): void {
    console_.warn(fields, message);
  }

  info(): void {}

  debug(): void {}
}
