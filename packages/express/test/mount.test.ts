// Where webhook() is mounted, on Express 4 and 5: on its route it sees only its deliveries;
// with app.use() and no path it sees every request of the app. There a receiver hands
// other methods on to the app's routes (GET /health is not a delivery), options mode still
// checks every request (the handlers after it rely on req.webhook), and both warn once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import express4 from 'express4';
import express5 from 'express5';
import request from 'supertest';
import { createReceiver, webhook } from '@hookproof/express';
import { sample, SECRET, signedHeaders } from '../../../conformance/signing.js';
import type { ExpressModule } from './driver.js';

interface App {
  use(...handlers: unknown[]): App;
  get(path: string, ...handlers: unknown[]): App;
  post(path: string, ...handlers: unknown[]): App;
}
interface Res {
  json(body: unknown): void;
}

const majors: [string, ExpressModule][] = [
  ['express@4', express4 as never],
  ['express@5', express5 as never],
];

const body = sample.aidelly.body;
const signed = () => ({ 'Content-Type': 'application/json', ...Object.fromEntries(signedHeaders('aidelly', body)) });
const unroutedWarnings = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.filter(([, options]) => (options as { code?: string } | undefined)?.code === 'HOOKPROOF_UNROUTED');

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(majors)('%s', (_name, express) => {
  const newApp = () => express() as unknown as App & Parameters<typeof request>[0];
  const health = (_req: unknown, res: Res) => res.json({ ok: true });

  it('app.use(webhook(receiver)) with no path: GET /health reaches its route, POSTs are verified, one warning', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const seen: string[] = [];
    const app = newApp();
    app.use(webhook(createReceiver({ vendor: 'aidelly', secret: SECRET }).onAny((event) => void seen.push(String(event.type)))));
    app.get('/health', health);

    const up = await request(app).get('/health');
    expect([up.status, up.body]).toEqual([200, { ok: true }]);
    const delivered = await request(app).post('/anywhere').set(signed()).send(body);
    expect([delivered.status, delivered.body.type]).toEqual([200, 'post.published']);
    const forged = await request(app).post('/health').set({ 'Content-Type': 'application/json' }).send(body);
    expect([forged.status, forged.body.error]).toEqual([401, 'missing_signature']);
    await request(app).get('/health');

    expect(seen).toEqual(['post.published']);
    const warnings = unroutedWarnings(warn);
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]![0])).toMatch(/mounted with app\.use\(\) and no path.*app\.post\('\/webhooks\/<vendor>', webhook\(\.\.\.\)\)/);
  });

  it('app.use(webhook(options)) with no path still checks every request (the next handlers rely on req.webhook), and warns once', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const app = newApp();
    app.use(webhook({ vendor: 'aidelly', secret: SECRET }));
    app.use((req: { webhook?: { type: unknown } }, res: Res) => res.json({ type: req.webhook?.type }));

    const get = await request(app).get('/health');
    expect([get.status, get.body.error]).toEqual([401, 'missing_signature']);
    const delivered = await request(app).post('/').set(signed()).send(body);
    expect([delivered.status, delivered.body]).toEqual([200, { type: 'post.published' }]);
    const warnings = unroutedWarnings(warn);
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]![0])).toContain('answered 401');
  });

  it('on its route (app.post, or app.use under a path) there is no warning, and other routes are untouched', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const app = newApp();
    app.post('/webhooks/aidelly', webhook(createReceiver({ vendor: 'aidelly', secret: SECRET })));
    app.use('/hooks/aidelly', webhook(createReceiver({ vendor: 'aidelly', secret: SECRET })));
    app.get('/health', health);

    expect((await request(app).post('/webhooks/aidelly').set(signed()).send(body)).status).toBe(200);
    expect((await request(app).post('/hooks/aidelly').set(signed()).send(body)).status).toBe(200);
    expect((await request(app).get('/health')).status).toBe(200);
    expect(unroutedWarnings(warn)).toEqual([]);
  });
});
