// What a first try of the CLI ran into: each fixed, each guarded here.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacHex, startReceiver, startServer, type RunningReceiver, type TestServer } from './helpers.js';
import { buildCli, runMain, spawnCli } from './cli-run.js';

const servers: (TestServer | RunningReceiver)[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('pipes', () => {
  beforeAll(() => buildCli(), 240_000);

  it('`hookproof events | head -1`: a reader that left ends the CLI quietly (no EPIPE crash)', async () => {
    const child = spawnCli(['events']);
    // The reader is gone before the CLI writes a byte: every write fails with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('usage errors in the CLI’s words', () => {
  it('node:util parse errors are rewritten; a misspelt option gets a suggestion', async () => {
    const ambiguous = await runMain(['send', 'aidelly', 'post.published', '--url', 'http://127.0.0.1:9/', '--timeout', '-5'], { env: { HOOKPROOF_SECRET: 's' } });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('--timeout needs a value; for a value that starts with "-", write --timeout=<value>');
    expect(ambiguous.stderr).not.toMatch(/ambiguous|Did you forget/);
    const missing = await runMain(['send', 'aidelly', 'post.published', '--url']);
    expect(missing.stderr).toContain('--url needs a value');
    const unknown = await runMain(['listen', 'aidelly', '--prot', '0']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option --prot. Did you mean --port?');
    expect(unknown.stderr).toContain('Run "hookproof listen --help" for its options.');
    expect(unknown.stderr).not.toContain('To specify a positional argument');
  });

  it('a misspelt event, vendor or command gets "did you mean"', async () => {
    const event = await runMain(['send', 'aidelly', 'post.publishd', '--url', 'http://127.0.0.1:9/'], { env: { HOOKPROOF_SECRET: 's' } });
    expect(event.code).toBe(2);
    expect(event.stderr).toContain('"post.publishd" is not a documented Aidelly event. Did you mean "post.published"?');
    expect((await runMain(['events', 'aidely'])).stderr).toContain('Did you mean "aidelly"?');
    expect((await runMain(['sned'])).stderr).toContain('Did you mean "send"?');
  });

  it('--seed abc is refused (only integers; a word was silently hashed into another seed)', async () => {
    const r = await runMain(['send', 'aidelly', 'post.published', '--url', 'http://127.0.0.1:9/', '--seed', 'abc'], { env: { HOOKPROOF_SECRET: 's' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--seed must be an integer from 0 to 4294967295, got "abc"');
  });

  it('--set on a field the payload does not have is refused; --add adds it', async () => {
    const server = await startServer(() => ({ status: 200 }));
    servers.push(server);
    const env = { HOOKPROOF_SECRET: 'whsec_set' };
    const nope = await runMain(['send', 'aidelly', 'post.published', '--url', server.url, '--set', 'data.nope=1'], { env });
    expect(nope.code).toBe(2);
    expect(nope.stderr).toContain('--set data.nope: the Aidelly post.published payload has no such field.');
    expect(nope.stderr).toContain('--add data.nope=');
    const typo = await runMain(['send', 'aidelly', 'post.published', '--url', server.url, '--set', 'data.platfrom=x'], { env });
    expect(typo.stderr).toContain('Did you mean "data.platform"?');
    expect(server.requests).toHaveLength(0);
    const added = await runMain(['send', 'aidelly', 'post.published', '--url', server.url, '--add', 'data.nope=1', '--set', 'data.platform="x"'], { env });
    expect(added.code).toBe(0);
    expect(JSON.parse(server.requests[0]!.body.toString())).toMatchObject({ data: { nope: 1, platform: 'x' } });
    // Autoposting's data object is undocumented inside: any field may be set there.
    const open = await runMain(['send', 'autoposting', 'post.published', '--url', server.url, '--set', 'data.anything=1'], { env });
    expect(open.code).toBe(0);
  });

  it('send without a secret names $HOOKPROOF_SECRET and --secret, not the library option', async () => {
    const r = await runMain(['send', 'timbrix', 'member.added', '--url', 'http://127.0.0.1:9/']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Timbrix signs every delivery: set $HOOKPROOF_SECRET (or pass --secret)');
    expect(r.stderr).not.toContain('pass `secret`');
  });
});

describe('library messages in the CLI’s words', () => {
  it('--header for a vendor without custom headers names the option', async () => {
    const r = await runMain(['send', 'aidelly', 'post.published', '--url', 'http://127.0.0.1:9/', '--header', 'X-A: 1'], { env: { HOOKPROOF_SECRET: 's' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--header: Aidelly does not let users add delivery headers');
  });
});

describe('demo <vendor>', () => {
  it('runs only that vendor', async () => {
    const r = await runMain(['demo', 'aidelly']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Aidelly');
    for (const other of ['Autoposting', 'Audenci', 'Timbrix']) expect(r.stdout).not.toContain(other);
    expect((await runMain(['demo', 'stripe'])).code).toBe(2);
  });
});

describe('a busy port', () => {
  it('exits 1 with one line naming the fix, no help dump', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const r = await runMain(['listen', 'aidelly', '--port', String(port)], { env: { HOOKPROOF_SECRET: 's' } });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`hookproof listen: port ${port} is in use on 127.0.0.1: stop what runs there, or pick another with --port (--port 0 picks a free one)\n`);
    } finally {
      blocker.close();
    }
  });
});

describe('send --retries', () => {
  it('prints each attempt’s error code (from the receiver’s answer)', async () => {
    const receiver = await startReceiver({ vendor: 'timbrix', secret: 'whsec_right', dedupe: false });
    servers.push(receiver);
    const r = await runMain(['send', 'timbrix', 'member.added', '--url', receiver.url, '--retries', 'vendor'], { env: { HOOKPROOF_SECRET: 'whsec_wrong' } });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => /^ {2}#\d/.test(l));
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toMatch(/401 http-error {2}signature_mismatch/);
    const json = JSON.parse((await runMain(['send', 'timbrix', 'member.added', '--url', receiver.url, '--retries', '0', '--json'], { env: { HOOKPROOF_SECRET: 'whsec_wrong' } })).stdout) as { attempts: { code: string }[] };
    expect(json.attempts.map((a) => a.code)).toEqual(['signature_mismatch', 'signature_mismatch']);
  });

  it('--clock real prints a line per attempt as it happens', async () => {
    let sawFirstLine: boolean | undefined;
    const stdoutSoFar: string[] = [];
    const server = await startServer((rec) => {
      if (rec.n === 2) sawFirstLine = stdoutSoFar.join('').includes('#1');
      return { status: 503 };
    });
    servers.push(server);
    const { capture } = await import('./cli-run.js');
    const stdout = capture();
    const origWrite = stdout.write.bind(stdout);
    stdout.write = ((chunk: string, ...rest: never[]) => {
      stdoutSoFar.push(String(chunk));
      return origWrite(chunk, ...rest);
    }) as typeof stdout.write;
    const r = await runMain(['send', 'aidelly', 'post.published', '--url', server.url, '--retries', '0.2', '--clock', 'real'], { env: { HOOKPROOF_SECRET: 's' }, stdout });
    expect(r.code).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(sawFirstLine).toBe(true);
  });
});

describe('send --file', () => {
  it('sends the file’s bytes exactly, signed (checked with node:crypto)', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'hookproof-file-'));
    const body = '{"event":"post.failed","data":{"title":"Café ☕"}}\n';
    writeFileSync(join(dir, 'body.json'), body);
    const server = await startServer(() => ({ status: 200 }));
    servers.push(server);
    const r = await runMain(['send', 'aidelly', '--file', join(dir, 'body.json'), '--url', server.url], { env: { HOOKPROOF_SECRET: 'whsec_f' } });
    expect(r.code).toBe(0);
    const rec = server.requests[0]!;
    expect(rec.body.toString()).toBe(body);
    expect(rec.headers['aidelly-signature']).toBe(`sha256=${hmacHex('whsec_f', Buffer.from(body))}`);
  });
});
