// listen --forward-to / --save / --ui and hookproof replay, end to end over real sockets.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMockSender } from '@hookproof/mock-sender';
import { PAGE_CSS, PAGE_HTML, PAGE_JS } from '../src/inspector/page.js';
import { DeliveryStore, type Delivery } from '../src/inspector/record.js';
import { hmacHex, startReceiver, startServer, type RunningReceiver, type TestServer } from './helpers.js';
import { runMain, startMain } from './cli-run.js';

const servers: (TestServer | RunningReceiver)[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

const jsonLines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('listen --forward-to', () => {
  it('forwards the exact bytes and headers of a verified delivery and answers with the app’s answer; refused ones stay', async () => {
    const app = await startServer(() => ({ status: 202, body: '{"app":"took it"}' }));
    servers.push(app);
    const l = await startMain(['listen', 'aidelly', '--port', '0', '--forward-to', app.url, '--json'], { HOOKPROOF_SECRET: 'whsec_fw' });
    const first = JSON.parse(l.first) as { listening: string; forwardTo: string };
    expect(first.forwardTo).toBe(app.url);
    const sender = createMockSender({ vendor: 'aidelly', secret: 'whsec_fw', target: first.listening, seed: 7 });
    const event = sender.event('post.published');
    const ok = await sender.send(event);
    expect(ok.status).toBe(202);
    expect(ok.response?.body).toBe('{"app":"took it"}');
    expect(ok.response?.headers['content-type']).toBe('application/json');
    expect(app.requests).toHaveLength(1);
    const rec = app.requests[0]!;
    expect(rec.body.toString()).toBe(event.body);
    expect(rec.headers['aidelly-signature']).toBe(`sha256=${hmacHex('whsec_fw', Buffer.from(event.body))}`);
    expect(rec.headers['content-type']).toBe('application/json');
    const bad = await sender.send(sender.event('post.failed'), { fault: 'tamper-body' });
    expect(bad.status).toBe(401);
    expect(app.requests).toHaveLength(1);
    const r = await l.stop();
    const lines = jsonLines(r.stdout).slice(1);
    expect(lines[0]).toMatchObject({ status: 202, verdict: 'verified', forwarded: { url: app.url, status: 202, body: '{"app":"took it"}' } });
    expect(lines[1]).toMatchObject({ status: 401, verdict: 'rejected', code: 'signature_mismatch' });
    expect(lines[1]).not.toHaveProperty('forwarded');
  });

  it('an app that is down: 502 forward_failed to the sender, shown in the output', async () => {
    const gone = await startServer(() => ({ status: 200 }));
    await gone.close();
    const l = await startMain(['listen', 'timbrix', '--port', '0', '--forward-to', gone.url], { HOOKPROOF_SECRET: 'whsec_fw' });
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(l.first)![0];
    const sender = createMockSender({ vendor: 'timbrix', secret: 'whsec_fw', target: url });
    const result = await sender.send(sender.event('member.added'));
    expect(result.status).toBe(502);
    expect(JSON.parse(result.response!.body)).toMatchObject({ error: 'forward_failed' });
    const r = await l.stop();
    expect(r.stdout).toMatch(/-> app no answer \(ECONNREFUSED\)/);
  });
});

describe('listen --save and hookproof replay', () => {
  it('saves each delivery; replay re-signs Autoposting (it signs a timestamp) so a stale capture is accepted again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookproof-save-'));
    const l = await startMain(['listen', 'autoposting', '--port', '0', '--save', dir, '--json'], { HOOKPROOF_SECRET: 'whsec_ap' });
    const { listening } = JSON.parse(l.first) as { listening: string };
    // Signed an hour ago: the listener refuses it as stale, and keeps it.
    const sender = createMockSender({ vendor: 'autoposting', secret: 'whsec_ap', target: listening, seed: 3, startAt: Date.now() - 3_600_000 });
    const event = sender.event('post.published');
    expect((await sender.send(event)).status).toBe(401);
    const r = await l.stop();
    const saved = jsonLines(r.stdout)[1]!;
    expect(saved).toMatchObject({ verdict: 'rejected', code: 'timestamp_out_of_tolerance' });
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(saved['saved']).toBe(join(dir, files[0]!));
    const file = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as { format: string; bodyBase64: string; headers: [string, string][] };
    expect(file.format).toBe('hookproof-delivery/1');
    expect(Buffer.from(file.bodyBase64, 'base64').toString()).toBe(event.body);

    const app = await startReceiver({ vendor: 'autoposting', secret: 'whsec_ap', dedupe: false });
    servers.push(app);
    const captured = await runMain(['replay', dir, '--to', app.url, '--as-captured']);
    expect(captured.code).toBe(1);
    expect(captured.stdout).toContain('401 timestamp_out_of_tolerance');
    const without = await runMain(['replay', dir, '--to', app.url]);
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('Autoposting.ai signs a timestamp: set $HOOKPROOF_SECRET');
    const spy = await startServer(() => ({ status: 200 }));
    servers.push(spy);
    const before = Math.floor(Date.now() / 1000);
    const resigned = await runMain(['replay', dir, '--to', spy.url], { env: { HOOKPROOF_SECRET: 'whsec_ap' } });
    expect(resigned.code).toBe(0);
    const rec = spy.requests[0]!;
    expect(rec.body.toString()).toBe(event.body);
    const ts = Number(rec.headers['x-autoposting-timestamp']);
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(rec.headers['x-autoposting-signature']).toBe(hmacHex('whsec_ap', `${ts}.${event.body}`));
    expect(rec.headers['x-autoposting-delivery']).toBe(event.deliveryId);
    const accepted = await runMain(['replay', join(dir, files[0]!), '--to', app.url, '--json'], { env: { HOOKPROOF_SECRET: 'whsec_ap' } });
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.stdout)).toMatchObject({ status: 200, ok: true, resigned: true, type: 'post.published' });
  });

  it('a body-only vendor is replayed as captured (its signature is still valid); a second replay is a duplicate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookproof-save-'));
    const l = await startMain(['listen', 'audenci', '--port', '0', '--save', dir, '--json'], { HOOKPROOF_SECRET: 'whsec_au' });
    const { listening } = JSON.parse(l.first) as { listening: string };
    const sender = createMockSender({ vendor: 'audenci', secret: 'whsec_au', target: listening, seed: 5 });
    const event = sender.event('campaign.started');
    expect((await sender.send(event)).status).toBe(200);
    await l.stop();
    const app = await startReceiver({ vendor: 'audenci', secret: 'whsec_au' });
    servers.push(app);
    const once = await runMain(['replay', dir, '--to', app.url]);
    expect(once.code).toBe(0);
    expect(once.stdout).toContain('as captured');
    await runMain(['replay', dir, '--to', app.url]);
    expect(app.results).toEqual([{ status: 200, code: undefined }, { status: 200, code: 'duplicate' }]);
  });

  it('a file that is not a saved delivery is an error naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookproof-save-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'x.json'), '{"hello":1}');
    const r = await runMain(['replay', dir, '--to', 'http://127.0.0.1:9/']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'x.json')} is not a delivery saved by \`hookproof listen --save\``);
  });
});

describe('listen --host', () => {
  it('warns when not loopback; silent on 127.0.0.1', async () => {
    const wide = await startMain(['listen', 'aidelly', '--port', '0', '--host', '0.0.0.0'], { HOOKPROOF_SECRET: 's' });
    const r = await wide.stop();
    expect(r.stderr).toContain('warning: listening on 0.0.0.0, not loopback: other machines can reach this receiver');
    const local = await startMain(['listen', 'aidelly', '--port', '0'], { HOOKPROOF_SECRET: 's' });
    expect((await local.stop()).stderr).toBe('');
  });
});

describe('drift flags', () => {
  it('a field the documented payload lacks and an undocumented event type are flagged', async () => {
    const l = await startMain(['listen', 'aidelly', '--port', '0', '--json'], { HOOKPROOF_SECRET: 'whsec_d' });
    const { listening } = JSON.parse(l.first) as { listening: string };
    const sender = createMockSender({ vendor: 'aidelly', secret: 'whsec_d', target: listening, seed: 2 });
    await sender.send(sender.event('post.published', { data: { surprise: { nested: 1 } } } as never));
    await sender.send(sender.undocumented('post.deleted'));
    await sender.send(sender.event('post.created'));
    const lines = jsonLines((await l.stop()).stdout).slice(1);
    expect(lines[0]).toMatchObject({ verdict: 'verified', drift: { unknownType: false, fields: ['data.surprise'] } });
    expect(lines[1]).toMatchObject({ verdict: 'verified', drift: { unknownType: true } });
    expect(lines[2]).not.toHaveProperty('drift');
  });
});

describe('listen --ui: the page and its API', () => {
  async function startUi(extra: string[] = []) {
    const l = await startMain(['listen', 'autoposting', '--port', '0', '--ui', '--json', ...extra], { HOOKPROOF_SECRET: 'whsec_ui_secret_value' });
    const first = JSON.parse(l.first) as { listening: string; ui: string };
    const page = await fetch(first.ui);
    const html = await page.text();
    const token = /name="hookproof-token" content="([^"]+)"/.exec(html)![1]!;
    return { l, first, page, html, token };
  }

  it('--json first line has listening and ui; the page has a strict CSP, a token, and no secret', async () => {
    const { l, first, page, html, token } = await startUi();
    expect(first.listening).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(first.ui).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(first.ui).not.toBe(first.listening);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(token.length).toBeGreaterThanOrEqual(32);
    const js = await (await fetch(new URL('/app.js', first.ui))).text();
    const state = await (await fetch(new URL(`/api/state?token=${token}`, first.ui))).text();
    for (const text of [html, js, state]) expect(text).not.toContain('whsec_ui_secret_value');
    await l.stop();
  });

  it('the API needs the token, the right Host and JSON; replay re-signs and the second answer is a duplicate', async () => {
    const { l, first, token } = await startUi();
    const sender = createMockSender({ vendor: 'autoposting', secret: 'whsec_ui_secret_value', target: first.listening, seed: 9, startAt: Date.now() - 3_600_000 });
    expect((await sender.send(sender.event('post.published'))).status).toBe(401);
    const api = (path: string) => new URL(path, first.ui);
    expect((await fetch(api('/api/state'))).status).toBe(403);
    expect((await fetch(api(`/api/state?token=${token}x`))).status).toBe(403);
    const http = await import('node:http');
    const rebound = await new Promise<number>((resolve) => {
      http.get(api(`/api/state?token=${token}`), { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
    });
    expect(rebound).toBe(421);
    const replay = (body: unknown, headers: Record<string, string> = { 'x-hookproof-token': token, 'content-type': 'application/json' }) =>
      fetch(api('/api/replay'), { method: 'POST', headers, body: JSON.stringify(body) });
    expect((await replay({ seq: 1, mode: 'resigned' }, { 'content-type': 'application/json' })).status).toBe(403);
    expect((await replay({ seq: 1, mode: 'resigned' }, { 'x-hookproof-token': token, 'content-type': 'text/plain' })).status).toBe(415);
    expect((await replay({ seq: 1, mode: 'resigned' }, { 'x-hookproof-token': token, 'content-type': 'application/json', origin: 'https://evil.example' })).status).toBe(403);
    expect((await replay({ seq: 1, mode: 'nope' })).status).toBe(400);
    const captured = (await (await replay({ seq: 1, mode: 'captured' })).json()) as { deliveries: { status: number; code: string }[] };
    expect(captured.deliveries[0]).toMatchObject({ status: 401, code: 'timestamp_out_of_tolerance' });
    const res = await replay({ seq: 1, mode: 'resigned', times: 2 });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { deliveries: { status: number; verdict: string; source: string; replayOf: number }[] };
    expect(out.deliveries.map((d) => [d.status, d.verdict, d.source, d.replayOf])).toEqual([
      [200, 'verified', 'replay-resigned', 1],
      [200, 'duplicate', 'replay-resigned', 1],
    ]);
    const edited = (await (await replay({ seq: 1, mode: 'edited', body: '{"id":"evt_edited","event":"post.failed","timestamp":"2026-01-01T00:00:00Z","data":{}}' })).json()) as { deliveries: { verdict: string; type: string }[] };
    expect(edited.deliveries[0]).toMatchObject({ verdict: 'verified', type: 'post.failed' });
    const exported = await fetch(api(`/api/export?token=${token}`));
    expect(exported.headers.get('content-disposition')).toContain('attachment');
    expect(((await exported.json()) as unknown[]).length).toBe(5);
    await l.stop();
  });

  it('opened as localhost, the page’s own replay (Origin http://localhost:port) is accepted', async () => {
    const { l, first, token } = await startUi();
    const sender = createMockSender({ vendor: 'autoposting', secret: 'whsec_ui_secret_value', target: first.listening, seed: 4 });
    await sender.send(sender.event('post.failed'));
    const port = new URL(first.ui).port;
    const http = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(new URL('/api/replay', first.ui), { method: 'POST', headers: { host: `localhost:${port}`, origin: `http://localhost:${port}`, 'content-type': 'application/json', 'x-hookproof-token': token } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ seq: 1, mode: 'captured' }));
    });
    expect(status).toBe(200);
    await l.stop();
  });

  it('the page is small and its script parses', () => {
    const bytes = Buffer.byteLength(PAGE_HTML) + Buffer.byteLength(PAGE_CSS) + Buffer.byteLength(PAGE_JS);
    expect(bytes).toBeLessThan(40 * 1024);
    expect(() => new Function(PAGE_JS)).not.toThrow();
    expect(PAGE_JS).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  });
});

describe('the session store', () => {
  it('keeps at most `limit` deliveries and `maxBytes` of bodies, dropping the oldest', () => {
    const store = new DeliveryStore(3, 100);
    const d = (seq: number, size: number) => ({ seq, bodyBase64: 'x'.repeat(size) }) as unknown as Delivery;
    for (let i = 1; i <= 4; i++) store.add(d(i, 10));
    expect(store.all().map((x) => x.seq)).toEqual([2, 3, 4]);
    store.add(d(5, 90));
    expect(store.all().map((x) => x.seq)).toEqual([4, 5]); // 10 + 90 bytes: at the budget
    store.add(d(6, 500));
    expect(store.all().map((x) => x.seq)).toEqual([6]);
  });
});
