import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vendors } from '@hookproof/core';
import { createMockSender } from '@hookproof/mock-sender';
import { hmacHex, startReceiver, startServer, type RunningReceiver, type TestServer } from './helpers.js';

const pkgDir = dirname(dirname(fileURLToPath(import.meta.url)));
const coreDir = join(pkgDir, '..', 'core');
const CLI = join(pkgDir, 'dist', 'cli.js');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds with tsup when dist is missing or older than src, so the test is right with or without `pnpm build` first. */
function ensureBuilt(dir: string, output: string) {
  const out = join(dir, 'dist', output);
  if (existsSync(out) && statSync(out).mtimeMs >= newest(join(dir, 'src'))) return;
  const tsup = createRequire(import.meta.url).resolve('tsup/package.json').replace(/package\.json$/, 'dist/cli-default.js');
  execFileSync(process.execPath, [tsup], { cwd: dir, stdio: 'pipe', timeout: 120_000 });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, HOOKPROOF_SECRET: undefined, ...options.env };
    const child = spawn(process.execPath, [CLI, ...args], { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

beforeAll(() => {
  ensureBuilt(coreDir, 'index.js');
  ensureBuilt(pkgDir, 'cli.js');
}, 240_000);

const servers: (TestServer | RunningReceiver)[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('help and usage errors (exit 2)', () => {
  it('--help lists every command; each command has its own --help', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    for (const name of ['send', 'sign', 'verify', 'listen', 'events', 'demo']) {
      expect(top.stdout).toContain(`  ${name} `);
      const own = await run([name, '--help']);
      expect([name, own.code]).toEqual([name, 0]);
      expect(own.stdout).toMatch(new RegExp(`^Usage: (HOOKPROOF_SECRET=… )?hookproof ${name}`));
      expect(own.stdout).toContain('Exit status');
    }
  });

  it('no command, an unknown command, an unknown option, an unknown vendor, a missing secret', async () => {
    expect((await run([])).code).toBe(2);
    const unknown = await run(['sned']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "sned"');
    const option = await run(['events', '--colour']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('unknown option --colour');
    const vendor = await run(['sign', 'stripe', '--secret', 's', '--body', '{}']);
    expect(vendor.code).toBe(2);
    expect(vendor.stderr).toContain('unknown vendor "stripe": use one of autoposting, aidelly, audenci, timbrix');
    expect((await run(['sign', 'aidelly', '--body', '{}'])).code).toBe(2);
    expect((await run(['send', 'aidelly', 'post.publishd', '--url', 'http://127.0.0.1:9/', '--secret', 's'])).stderr).toContain('not a documented Aidelly event');
    expect((await run(['send', 'aidelly', 'post.published', '--url', 'http://127.0.0.1:9/', '--secret', 's', '--fault', 'flip'])).code).toBe(2);
  });

  it('--version prints the package version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('events', () => {
  it('lists every vendor; --json is the core profiles', async () => {
    const text = await run(['events']);
    expect(text.code).toBe(0);
    for (const p of Object.values(vendors)) {
      expect(text.stdout).toContain(p.name);
      for (const e of p.events) expect(text.stdout).toContain(`    ${e}\n`);
    }
    const json = JSON.parse((await run(['events', 'aidelly', '--json'])).stdout) as { vendor: string; events: string[]; retryDelaysSec: number[]; timeoutMs: number }[];
    expect(json).toEqual([expect.objectContaining({ vendor: 'aidelly', events: [...vendors.aidelly.events], retryDelaysSec: [...vendors.aidelly.retry.delaysSec], timeoutMs: 10_000 })]);
  });
});

describe('sign', () => {
  it('prints the headers, signed over the exact bytes (checked with node:crypto)', async () => {
    const body = '{"event":"post.published","data":{"title":"Café ☕"}}';
    const r = await run(['sign', 'aidelly', '--secret', 'whsec_cli', '--body', body]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Aidelly-Signature: sha256=${hmacHex('whsec_cli', Buffer.from(body))}\n`);
  });

  it('reads stdin and signs "<timestamp>.<body>" for Autoposting', async () => {
    const body = '{"id":"evt_1","event":"post.failed"}\n';
    const r = await run(['sign', 'autoposting', '--timestamp', '1767225600', '--id', 'dlv_1', '--json'], { input: body, env: { HOOKPROOF_SECRET: 'whsec_env' } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      'Content-Type': 'application/json',
      'X-Autoposting-Timestamp': '1767225600',
      'X-Autoposting-Signature': hmacHex('whsec_env', `1767225600.${body}`),
      'X-Autoposting-Event': 'post.failed',
      'X-Autoposting-Delivery': 'dlv_1',
    });
  });
});

describe('verify (prints diagnose)', () => {
  const body = '{"event":"member.added","timestamp":"2026-01-01T00:00:00Z","data":{}}';
  const sig = hmacHex('whsec_t', body);

  it('exit 0 for a valid delivery', async () => {
    const r = await run(['verify', 'timbrix', '--secret', 'whsec_t', '--header', `X-Webhook-Signature: ${sig}`, '--body', body]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid Timbrix delivery');
  });

  it('exit 1 with the likely cause: wrong secret, body gained a newline, rotation', async () => {
    const wrong = await run(['verify', 'timbrix', '--secret', 'whsec_other', '--header', `X-Webhook-Signature: ${sig}`, '--body', body]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('invalid: signature_mismatch');
    const newline = await run(['verify', 'timbrix', '--secret', 'whsec_t', '--header', `X-Webhook-Signature: ${sig}`, '--json'], { input: `${body}\n` });
    expect(newline.code).toBe(1);
    expect(JSON.parse(newline.stdout)).toMatchObject({ ok: false, code: 'signature_mismatch', cause: 'trailing_newline' });
    const rotated = await run(['verify', 'timbrix', '--secret', 'whsec_new', '--secret', 'whsec_t', '--header', `X-Webhook-Signature: ${sig}`, '--body', body]);
    expect(rotated.code).toBe(0);
  });

  it('--now checks the replay window', async () => {
    const ts = '1767225600';
    const signed = hmacHex('whsec_a', `${ts}.${body}`);
    const args = ['verify', 'autoposting', '--secret', 'whsec_a', '--header', `X-Autoposting-Signature: ${signed}`, '--header', `X-Autoposting-Timestamp: ${ts}`, '--body', body];
    expect((await run([...args, '--now', '1767225700'])).code).toBe(0);
    const late = await run([...args, '--now', '2026-01-01T01:00:00Z', '--json']);
    expect(late.code).toBe(1);
    expect(JSON.parse(late.stdout)).toMatchObject({ code: 'timestamp_out_of_tolerance', cause: 'clock_skew' });
  });
});

describe('send', () => {
  it('delivers a signed event with overrides; exit 0', async () => {
    const server = await startServer(() => ({ status: 200 }));
    servers.push(server);
    const r = await run(['send', 'aidelly', 'post.published', '--url', server.url, '--set', 'data.platform_post_id=urn:li:share:1', '--set', 'brand_id="b-1"', '--seed', '4'], { env: { HOOKPROOF_SECRET: 'whsec_s' } });
    expect(r.code).toBe(0);
    const rec = server.requests.at(-1)!;
    expect(rec.headers['aidelly-signature']).toBe(`sha256=${hmacHex('whsec_s', rec.body)}`);
    const payload = JSON.parse(rec.body.toString());
    expect(payload).toMatchObject({ event: 'post.published', brand_id: 'b-1', data: { platform_post_id: 'urn:li:share:1', platform: 'linkedin' } });
    expect(r.stdout).toContain('200 success');
    // The same seed gives the same event, from the library too.
    const lib = createMockSender({ vendor: 'aidelly', secret: 'x', seed: 4 });
    expect(payload.workspace_id).toBe(lib.event('post.published').payload.workspace_id);
  });

  it('a fault through a core receiver fails with exit 1; --json tells the status', async () => {
    const receiver = await startReceiver({ vendor: 'audenci', secret: 'whsec_r', dedupe: false });
    servers.push(receiver);
    const r = await run(['send', 'audenci', 'campaign.started', '--url', receiver.url, '--secret', 'whsec_r', '--fault', 'tamper-body', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { status: number; ok: boolean; response: { body: string } };
    expect(out).toMatchObject({ status: 401, ok: false });
    expect(JSON.parse(out.response.body)).toMatchObject({ error: 'signature_mismatch' });
    expect(receiver.results.at(-1)).toEqual({ status: 401, code: 'signature_mismatch' });
  });

  it('--retries runs a schedule on the virtual clock', async () => {
    const server = await startServer(() => ({ status: 500 }));
    servers.push(server);
    const r = await run(['send', 'timbrix', 'member.added', '--url', server.url, '--secret', 's', '--retries', 'vendor', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { state: string; attempts: { n: number; delayMs: number }[] };
    expect(out.state).toBe('failed');
    expect(out.attempts.map((a) => a.delayMs)).toEqual([0, 1000, 5000, 30000]);
    expect(server.requests).toHaveLength(4);
  });
});

describe('listen', () => {
  async function startListen(args: string[]) {
    const child = spawn(process.execPath, [CLI, 'listen', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    exited.finally(() => clearTimeout(timer));
    const first = await new Promise<string>((resolve, reject) => {
      const check = () => (stdout.includes('\n') ? resolve(stdout.split('\n')[0]!) : undefined);
      child.stdout.on('data', check);
      child.on('close', () => reject(new Error(`listen exited early: ${stdout}`)));
    });
    return { child, first, exited, output: () => stdout };
  }

  it('verifies and pretty-prints a delivery; --once exits 0', async () => {
    const l = await startListen(['aidelly', '--secret', 'whsec_l', '--port', '0', '--once', '--json']);
    const { listening } = JSON.parse(l.first) as { listening: string };
    expect(listening).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const sender = createMockSender({ vendor: 'aidelly', secret: 'whsec_l', target: listening });
    const event = sender.event('post.scheduled');
    const result = await sender.send(event);
    expect(result.status).toBe(200);
    expect(await l.exited).toBe(0);
    const line = JSON.parse(l.output().split('\n')[1]!) as Record<string, unknown>;
    expect(line).toMatchObject({ status: 200, ok: true, type: 'post.scheduled', documented: true, payload: JSON.parse(event.body) });
  });

  it('rejects a bad signature with the likely cause; --once exits 1', async () => {
    const l = await startListen(['timbrix', '--secret', 'whsec_l', '--port', '0', '--once']);
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(l.first)![0];
    const sender = createMockSender({ vendor: 'timbrix', secret: 'whsec_l', target: url });
    expect((await sender.send(sender.event('member.added'), { fault: 'wrong-secret' })).status).toBe(401);
    expect(await l.exited).toBe(1);
    expect(l.output()).toContain('✗ 401 signature_mismatch');
    expect(l.output()).toContain('likely cause (wrong_secret)');
  });

  it('stops on SIGTERM with exit 0', async () => {
    const l = await startListen(['audenci', '--secret', 's', '--port', '0']);
    expect(l.first).toContain('listening on');
    l.child.kill('SIGTERM');
    expect(await l.exited).toBe(0);
  });
});

describe('colours only on a TTY', () => {
  it('no escape codes in a pipe; FORCE_COLOR adds them; NO_COLOR wins', async () => {
    const esc = '\u001b[';
    expect((await run(['events', 'timbrix'])).stdout).not.toContain(esc);
    expect((await run(['events', 'timbrix'], { env: { FORCE_COLOR: '1' } })).stdout).toContain(esc);
    expect((await run(['events', 'timbrix'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toContain(esc);
  });
});

describe('demo', () => {
  it('every vendor behaves as documented; exit 0', async () => {
    const r = await run(['demo']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Every delivery behaved as documented.');
    for (const p of Object.values(vendors)) expect(r.stdout).toContain(p.name);
  });
});
