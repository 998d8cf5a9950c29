// Every runtime the hardening matrix runs through: the adapters' own conformance drivers
// (packages/*/test/driver.ts) on both supported majors, and a driver for core's Fetch
// handler. The majors are installed under aliases in each adapter's folder (express4,
// koa3, ...), so they are required from there rather than from the repo root.
import { createRequire } from 'node:module';
import type { AdapterDriver } from '../conformance/driver.js';
import { expressDriver, type ExpressModule } from '../packages/express/test/driver.js';
import { fastifyDriver, type FastifyFactory } from '../packages/fastify/test/driver.js';
import { koaDriver, type KoaClass } from '../packages/koa/test/driver.js';
import { fetchDriver } from './fetch-driver.js';

/** Requires `name` as the adapter package `pkg` sees it (its devDependency aliases). */
export function requireFrom(pkg: 'express' | 'koa' | 'fastify', name: string): unknown {
  return createRequire(new URL(`../packages/${pkg}/package.json`, import.meta.url))(name);
}

/** Default export of a CommonJS module, whichever way it is written. */
function defaultOf<T>(mod: unknown): T {
  const m = mod as { default?: unknown; __esModule?: boolean };
  return (m.__esModule === true && m.default !== undefined ? m.default : mod) as T;
}

export const express4 = defaultOf<ExpressModule>(requireFrom('express', 'express4'));
export const express5 = defaultOf<ExpressModule>(requireFrom('express', 'express5'));
export const koa2 = defaultOf<KoaClass>(requireFrom('koa', 'koa2'));
export const koa3 = defaultOf<KoaClass>(requireFrom('koa', 'koa3'));
export const fastify4 = defaultOf<FastifyFactory>(requireFrom('fastify', 'fastify4'));
export const fastify5 = defaultOf<FastifyFactory>(requireFrom('fastify', 'fastify5'));

/** The seven targets: Fetch handler, express 4/5, koa 2/3, fastify 4/5 (listening on 127.0.0.1). */
export const targets: readonly AdapterDriver[] = [
  fetchDriver,
  expressDriver('express@4', express4),
  expressDriver('express@5', express5),
  koaDriver('koa@2', koa2),
  koaDriver('koa@3', koa3),
  fastifyDriver('fastify@4', fastify4, 'listen'),
  fastifyDriver('fastify@5', fastify5, 'listen'),
];
