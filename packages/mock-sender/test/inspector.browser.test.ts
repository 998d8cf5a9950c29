// The inspector page in a real browser (Chromium through playwright-core), fed by the
// mock sender: live list, verdicts and causes, replay, diff, drift, inert payloads,
// keyboard. Skipped with a reason when no Chromium is installed, except in CI.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockSender, type MockSender } from '@hookproof/mock-sender';
import { startMain } from './cli-run.js';
import { startServer, type TestServer } from './helpers.js';

const executablePath = [process.env['HOOKPROOF_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => p !== undefined && p !== '' && existsSync(p));
const inCi = process.env['CI'] === 'true';
if (executablePath === undefined && !inCi) {
  console.log('inspector.browser.test.ts skipped: no Chromium found (install it with `apt-get install -y chromium`, or set HOOKPROOF_CHROMIUM to its path); in CI (CI=true) it runs and fails instead.');
}
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SECRET = 'whsec_inspector_browser';
// Generous waits: CI machines are slow to start Chromium and to repaint.
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 10_000 });

describe.skipIf(executablePath === undefined && !inCi)('hookproof listen --ui in Chromium', { timeout: 30_000 }, () => {
  let browser: Browser;
  let page: Page;
  let sender: MockSender<'autoposting'>;
  let listen: Awaited<ReturnType<typeof startMain>>;
  let app: TestServer;
  let uiUrl: string;
  const errors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    app = await startServer(() => ({ status: 200, body: '{"app":"handled"}' }));
    listen = await startMain(['listen', 'autoposting', '--port', '0', '--ui', '--json', '--forward-to', app.url], { HOOKPROOF_SECRET: SECRET });
    const { listening, ui } = JSON.parse(listen.first) as { listening: string; ui: string };
    uiUrl = ui;
    sender = createMockSender({ vendor: 'autoposting', secret: SECRET, target: listening, seed: 21 });
    if (executablePath === undefined) throw new Error('CI=true and no Chromium: .ci/run installs it with apt-get install -y chromium');
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(ui);
    await page.waitForFunction(() => document.getElementById('live')?.textContent === 'live');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await listen?.stop();
    await app?.close();
  });

  const rows = () => page.locator('[data-testid=row]');
  const row = (seq: number) => page.locator(`tr[data-seq="${seq}"]`);

  it('the list updates live, without a reload', async () => {
    expect(await rows().count()).toBe(0);
    expect((await sender.send(sender.event('post.published'))).status).toBe(200);
    await poll(() => rows().count()).toBe(1);
    expect(await row(1).locator('.verdict').textContent()).toBe('verified');
    expect(await row(1).textContent()).toContain('post.published');
    await row(1).click();
    expect(await page.getByTestId('forwarded').textContent()).toMatch(new RegExp(`^${app.url}: 200 in \\d+\\.\\d ms$`));
    expect(await page.getByTestId('forwarded-body').textContent()).toBe('{"app":"handled"}');
  });

  it('a tampered and a stale delivery show their verdict and cause', async () => {
    await sender.send(sender.event('post.failed'), { fault: 'tamper-body' });
    await sender.send(sender.event('post.scheduled'), { fault: 'stale-timestamp' });
    await poll(() => rows().count()).toBe(3);
    expect(await row(2).locator('.verdict').textContent()).toBe('refused signature_mismatch');
    await row(2).click();
    expect(await page.getByTestId('verdict').textContent()).toBe('refused signature_mismatch');
    expect(await page.getByTestId('cause').textContent()).toMatch(/^Likely cause: \w+/);
    expect(await page.getByTestId('fix').textContent()).not.toBe('');
    await row(3).click();
    expect(await page.getByTestId('verdict').textContent()).toBe('refused timestamp_out_of_tolerance');
    expect(await page.getByTestId('cause').textContent()).toBe('Likely cause: clock_skew');
  });

  it('replay as captured: the second answer is a duplicate', async () => {
    await row(1).click();
    await page.getByTestId('replay').click();
    await poll(() => page.getByTestId('action-result').textContent()).toMatch(/^#4 → 200 duplicate/);
    await poll(() => rows().count()).toBe(4);
    expect(await row(4).locator('.verdict').textContent()).toBe('duplicate');
  });

  it('re-signed replay of the stale capture is accepted; edit then send signed', async () => {
    await row(3).click();
    await page.getByTestId('replay-resigned').click();
    await poll(() => page.getByTestId('action-result').textContent()).toMatch(/^#5 → 200 verified/);
    await page.getByTestId('edit').click();
    const edited = JSON.stringify({ id: 'evt_edited_1', event: 'post.cancelled', timestamp: '2026-01-01T00:00:00Z', orgId: 'org_1', data: {} });
    await page.locator('#editor').fill(edited);
    await page.getByTestId('send-edited').click();
    await poll(() => page.getByTestId('action-result').textContent()).toMatch(/^#6 → 200 verified/);
    await row(6).click();
    expect(await page.getByTestId('raw').textContent()).toBe(edited);
  });

  it('a diff of two deliveries and a drift flag appear', async () => {
    const extra = sender.event('post.published', { extra_top: 'not documented', data: { any: 1 } } as never);
    await sender.send(extra);
    await poll(() => rows().count()).toBe(7);
    expect(await row(7).textContent()).toContain('drift');
    await row(7).click();
    expect(await page.getByTestId('drift').textContent()).toContain('Field extra_top is not in the documented payload');
    await row(1).getByTestId('mark').check();
    await row(7).getByTestId('mark').check();
    await page.getByTestId('diff-btn').click();
    const diff = page.getByTestId('diff');
    expect(await diff.textContent()).toContain('extra_top');
    expect(await diff.locator('tr.added').count()).toBeGreaterThanOrEqual(2);
    expect(await diff.locator('tr.changed').count()).toBeGreaterThanOrEqual(1);
    await sender.send(sender.undocumented('post.deleted'));
    await poll(() => rows().count()).toBe(8);
    await row(8).click();
    expect(await page.getByTestId('drift').textContent()).toContain('Event type "post.deleted" is not one Autoposting.ai documents');
  });

  it('hostile HTML and script in a signed body run nothing and show as text', async () => {
    const img = '<img src=x onerror="window.__pwned=1;alert(1)">';
    const script = '<script>window.__pwned=2;alert(2)</script>';
    const hostile = sender.undocumented(`${img}${script}`, { data: { title: img, body: script } });
    expect((await sender.send(hostile)).status).toBe(200);
    await poll(() => rows().count()).toBe(9);
    await row(9).click();
    expect(await page.getByTestId('raw').textContent()).toBe(hostile.body);
    expect(await page.getByTestId('pretty').textContent()).toBe(JSON.stringify(JSON.parse(hostile.body), null, 2));
    expect(await page.locator('#detail h2').textContent()).toContain(script);
    expect(await row(9).textContent()).toContain(img);
    await page.getByTestId('copy-curl').click();
    expect(await page.getByTestId('curl').textContent()).toContain(`--data-binary '`);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('body script').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('keyboard: arrows move, Enter opens, Space marks; filters narrow the list', async () => {
    await row(1).click();
    await page.keyboard.press('ArrowDown');
    expect(await row(2).getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-seq'))).toBe('2');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await page.locator('#detail h2').textContent()).toContain('#3');
    await page.keyboard.press('End');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-seq'))).toBe('9');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    expect(await row(2).getByTestId('mark').isChecked()).toBe(false);
    await page.keyboard.press(' ');
    expect(await row(2).getByTestId('mark').isChecked()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-seq'))).toBe('2');
    await page.locator('#f-verdict').selectOption('rejected');
    expect(await rows().count()).toBe(2);
    await page.locator('#f-verdict').selectOption('');
    expect(await rows().count()).toBe(9);
  });

  it('a page opened later shows the session so far', async () => {
    const late = await browser.newPage();
    await late.goto(uiUrl);
    await poll(() => late.locator('[data-testid=row]').count()).toBe(9);
    expect(await late.locator('tr[data-seq="4"] .verdict').textContent()).toBe('duplicate');
    await late.close();
  });

  it('no script error on the page; a screenshot for the docs', async () => {
    expect(errors).toEqual([]);
    await page.keyboard.press('Escape');
    await row(2).click();
    const out = process.env['HOOKPROOF_UPDATE_SCREENSHOT'] === '1' ? join(repoRoot, 'docs', 'inspector.png') : join(tmpdir(), 'hookproof-inspector.png');
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: false });
    expect(existsSync(out)).toBe(true);
  });
});
