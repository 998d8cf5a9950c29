// koa2 / koa3 are koa@2 and koa@3 installed under aliases; both are typed by @types/koa.
declare module 'koa2' {
  export { default } from 'koa';
  export * from 'koa';
}
declare module 'koa3' {
  export { default } from 'koa';
  export * from 'koa';
}
// @koa/router 13 ships no types; the tests use this much of it, shaped like @types/koa__router.
declare module '@koa/router' {
  import type { DefaultState, Middleware } from 'koa';
  export default class Router {
    post<T = {}>(path: string, ...middleware: Middleware<DefaultState & T>[]): this;
    routes(): Middleware;
    allowedMethods(): Middleware;
  }
}
