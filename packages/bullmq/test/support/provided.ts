import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Redis of test/global-setup.ts, or null when there is none (tests skip). */
    redisUrl: string | null;
    /** redis-server on PATH, for tests that stop and restart their own server; or null. */
    redisServerBin: string | null;
  }
}

export const redisUrl = inject('redisUrl');
export const redisServerBin = inject('redisServerBin');
