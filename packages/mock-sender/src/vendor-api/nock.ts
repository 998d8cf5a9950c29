import { createRequire } from 'node:module';
import type Nock from 'nock';

export type NockModule = typeof Nock;

let loaded: { nock: NockModule; loadedByUs: boolean } | undefined;

/**
 * nock patches `http` and `fetch` as soon as it is loaded, so it is loaded only when
 * `mockVendorApi()` is called: importing the mock sender changes no globals.
 */
export function loadNock(): { nock: NockModule; loadedByUs: boolean } {
  if (loaded !== undefined) return loaded;
  const require = createRequire(import.meta.url);
  const resolved = require.resolve('nock');
  const before = Object.prototype.hasOwnProperty.call(require.cache, resolved);
  loaded = { nock: require('nock') as NockModule, loadedByUs: !before };
  return loaded;
}

/** Loopback hosts stay reachable while the vendor API is mocked (nock#239: disableNetConnect blocks them too). */
export const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\]|::1)(?::\d+)?$/;
