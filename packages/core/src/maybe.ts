/**
 * Sync-or-promise, in one place: code on the delivery path returns a `MaybePromise` and
 * chains with `chain` or `chainWith` below, never `isPromise(x) ? x.then(f) : f(x)`
 * by hand. Why the sync path matters: see bench/README.md#the-synchronous-path.
 */

/** A value now, or a promise of it where something on the way is asynchronous. */
export type MaybePromise<T> = T | Promise<T>;

/** Whether `value` is a native promise (what every async step on the path returns). */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** Any thenable, for values from user code (handlers, dedupe stores) that may be foreign promises. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  return typeof (value as { then?: unknown }).then === 'function';
}

/**
 * `f(value)` now, or once `value` resolves. `onRejected`, when given, handles a rejected
 * promise (a synchronous value has nothing to reject).
 */
export function chain<T, U>(
  value: MaybePromise<T>,
  f: (value: T) => MaybePromise<U>,
  onRejected?: (cause: unknown) => MaybePromise<U>,
): MaybePromise<U> {
  if (value instanceof Promise) return onRejected === undefined ? value.then(f) : value.then(f, onRejected);
  return f(value);
}

/**
 * `f(value, a, b)` now, or once `value` resolves; `onRejected(cause, a, b)` for a rejection.
 * `chain` for the hot path: `f` is made once, not per call, so the synchronous path
 * allocates no closure (bench/README.md#the-synchronous-path).
 */
export function chainWith<T, A, B, U>(
  value: MaybePromise<T>,
  f: (value: T, a: A, b: B) => MaybePromise<U>,
  a: A,
  b: B,
  onRejected?: (cause: unknown, a: A, b: B) => MaybePromise<U>,
): MaybePromise<U> {
  if (!(value instanceof Promise)) return f(value, a, b);
  const rejected = onRejected === undefined ? undefined : (cause: unknown) => onRejected(cause, a, b);
  return value.then((v) => f(v, a, b), rejected);
}

/** A result-now-or-later as a promise, for the public promise-returning entry points. */
export function promised<T>(value: MaybePromise<T>): Promise<T> {
  return value instanceof Promise ? value : Promise.resolve(value);
}
