import type {
  ContextConfigDefault,
  FastifyBaseLogger,
  FastifySchema,
  FastifyTypeProvider,
  FastifyTypeProviderDefault,
  RawRequestDefaultExpression,
  RawServerBase,
  RawServerDefault,
  RouteGenericInterface,
} from 'fastify';
import type { FastifyRequestType, ResolveFastifyRequestType } from 'fastify/types/type-provider.js';
import type { AnyWebhookEvent, EventFor, VendorRef } from '@hookproof/core';

/** `request.webhook`: exact when the route names its vendor(s) (`{ Webhook: 'aidelly' }`), else any vendor's event or undefined. */
export type RequestWebhook<RouteGeneric> = RouteGeneric extends { Webhook: infer V extends VendorRef }
  ? EventFor<V>
  : AnyWebhookEvent | undefined;

declare module 'fastify' {
  interface RequestGenericInterface {
    /** The vendor(s) a route receives, for an exactly typed `request.webhook`: `app.post<{ Webhook: 'aidelly' }>(...)`. */
    Webhook?: VendorRef;
  }

  // Same type parameters as fastify 4's and 5's FastifyRequest, as declaration merging requires.
  interface FastifyRequest<
    RouteGeneric extends RouteGenericInterface = RouteGenericInterface,
    RawServer extends RawServerBase = RawServerDefault,
    RawRequest extends RawRequestDefaultExpression<RawServer> = RawRequestDefaultExpression<RawServer>,
    SchemaCompiler extends FastifySchema = FastifySchema,
    TypeProvider extends FastifyTypeProvider = FastifyTypeProviderDefault,
    ContextConfig = ContextConfigDefault,
    Logger extends FastifyBaseLogger = FastifyBaseLogger,
    RequestType extends FastifyRequestType = ResolveFastifyRequestType<TypeProvider, SchemaCompiler, RouteGeneric>,
  > {
    /**
     * The verified event, set by the @hookproof/fastify plugin in its `preHandler` on the
     * routes of the scope it is registered in. Name the vendor in the route generic for the
     * exact type: `scope.post<{ Webhook: 'aidelly' }>('/hooks', (request) => request.webhook.type)`.
     */
    webhook: RequestWebhook<RouteGeneric>;
  }
}
