/**
 * Sync-or-promise, in one place. Node's HMAC is synchronous, so a delivery with a static
 * secret and synchronous handlers can be answered without a single promise; every promise
 * and microtask on that path is measurable under load (bench/README.md, "What bounds the
 * ratios"). Code on the delivery path returns a `MaybePromise` and chains with `chain`
 * below (not `then`: a module exporting `then` is itself a thenable) instead of writing `isPromise(x) ? x.then(f) : f(x)` by hand.
 */

/** A value now, or a promise of it where something on the way is asynchronous. */
export type MaybePromise<T> = T | Promise<T>;

/** Whether `value` is a native promise (what every async step on the path returns). */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** Any thenable, for values from user code (handlers, dedupe stores) that may be foreign promises. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * `f(value)` now, or once `value` resolves. `onRejected`, when given, handles a rejected
 * promise (a synchronous value has nothing to reject).
 */
export function chain<T, U>(value: MaybePromise<T>, f: (value: T) => MaybePromise<U>, onRejected?: (cause: unknown) => MaybePromise<U>): MaybePromise<U> {
  if (value instanceof Promise) return onRejected === undefined ? value.then(f) : value.then(f, onRejected);
  return f(value);
}

/** A result-now-or-later as a promise, for the public promise-returning entry points. */
export function promised<T>(value: MaybePromise<T>): Promise<T> {
  return value instanceof Promise ? value : Promise.resolve(value);
}
