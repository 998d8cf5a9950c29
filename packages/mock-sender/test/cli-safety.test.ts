// The CLI prints what came from the network inert, keeps secrets out of `ps`, and its
// local receiver refuses browsers and unsigned deliveries when a secret is configured.
import { afterAll, describe, expect, it } from 'vitest';
import { hmacHex, startServer, type TestServer } from './helpers.js';
import { runMain, startMain } from './cli-run.js';

const ESC = '\u001b';
const CSI = '\u009b';
const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function post(url: string, body: string, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, body: await res.text() };
}

describe('peer data is printed with control characters escaped', () => {
  // A signed (so accepted) event whose type and id carry terminal escape sequences:
  // retitle the window, clear the screen, a one-byte C1 CSI and a bidi override.
  const hostile = `post.published${ESC}]0;pwned\u0007${ESC}[2J${CSI}31m\u202e`;
  const body = JSON.stringify({ id: `evt_${ESC}[2J`, event: hostile, timestamp: '2026-01-01T00:00:00Z', data: { note: `x${ESC}[2Jy` } });

  it('listen (text and --json): no raw escape reaches the terminal', async () => {
    for (const json of [false, true]) {
      const l = await startMain(['listen', 'timbrix', '--port', '0', '--once', ...(json ? ['--json'] : [])], { HOOKPROOF_SECRET: 'whsec_p' });
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(l.first)![0];
      const res = await post(url, body, { 'x-webhook-signature': hmacHex('whsec_p', body) });
      expect(res.status).toBe(200);
      const r = await l.done;
      expect(r.code).toBe(0);
      const out = r.stdout.split('\n').slice(1).join('\n');
      expect(out).toContain('pwned');
      for (const raw of [ESC, CSI, '\u0007', '\u202e']) expect(out).not.toContain(raw);
      if (json) {
        const line = JSON.parse(out.split('\n')[0]!) as { type: string; payload: { data: { note: string } } };
        expect(line.type).toBe(hostile); // escaped as \u001b in JSON, the value intact
        expect(line.payload.data.note).toBe(`x${ESC}[2Jy`);
      } else {
        expect(out).toContain('post.published\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202e');
      }
    }
  });

  it("send: a hostile target's answer is printed inert (text and --json)", async () => {
    const server = await startServer(() => ({ status: 500, body: `{"error":"x${ESC}]0;owned\u0007","m":"${CSI}2J"}` }));
    servers.push(server);
    for (const json of [false, true]) {
      const r = await runMain(['send', 'aidelly', 'post.published', '--url', server.url, '--seed', '1', ...(json ? ['--json'] : [])], { env: { HOOKPROOF_SECRET: 'whsec_s' } });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('owned');
      for (const raw of [ESC, CSI, '\u0007']) expect(r.stdout).not.toContain(raw);
      if (json) expect(JSON.parse(r.stdout)).toMatchObject({ status: 500 });
    }
    // Per-attempt lines print the error code parsed from a JSON answer: decoded, so raw again.
    const coded = await startServer(() => ({ status: 401, body: JSON.stringify({ error: `x${ESC}]0;owned\u0007${CSI}2J` }) }));
    servers.push(coded);
    const retries = await runMain(['send', 'aidelly', 'post.published', '--url', coded.url, '--retries', '0,0'], { env: { HOOKPROOF_SECRET: 'whsec_s' } });
    expect(retries.stdout).toContain('owned');
    expect(retries.stdout).not.toContain(ESC);
  });
});

describe('secrets stay out of `ps`', () => {
  it('every command that takes a secret recommends $HOOKPROOF_SECRET over --secret in its help', async () => {
    for (const name of ['listen', 'send', 'sign', 'verify']) {
      const help = (await runMain([name, '--help'])).stdout;
      expect(help).toMatch(/^Usage: HOOKPROOF_SECRET=… hookproof /);
      expect(help).toMatch(/--secret value is visible to every user[\s\S]*`ps`/);
    }
  });

  it('listen takes the secret from $HOOKPROOF_SECRET alone', async () => {
    const l = await startMain(['listen', 'aidelly', '--port', '0', '--once', '--json'], { HOOKPROOF_SECRET: 'whsec_env' });
    const { listening } = JSON.parse(l.first) as { listening: string };
    const body = '{"event":"post.created","data":{}}';
    expect((await post(listening, body, { 'aidelly-signature': `sha256=${hmacHex('whsec_env', body)}` })).status).toBe(200);
    expect((await l.done).code).toBe(0);
  });
});

describe('listen --allow-unsigned', () => {
  it('refuses a browser request (foreign Origin) with 403 and accepts the same request without one', async () => {
    const l = await startMain(['listen', 'autoposting', '--port', '0', '--allow-unsigned', '--json']);
    const { listening } = JSON.parse(l.first) as { listening: string };
    const body = '{"id":"evt_1","event":"post.published","timestamp":"2026-01-01T00:00:00Z","data":{}}';
    const headers = { 'x-autoposting-event': 'post.published', 'x-autoposting-delivery': 'dlv_1' };
    const browser = await post(listening, body, { ...headers, origin: 'https://evil.example' });
    expect(browser.status).toBe(403);
    expect(JSON.parse(browser.body)).toMatchObject({ error: 'forbidden_origin' });
    const nullOrigin = await post(listening, body, { ...headers, origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    expect((await post(listening, body, headers)).status).toBe(200);
    const r = await l.stop();
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').slice(1).map((x) => JSON.parse(x) as { status: number; code?: string });
    expect(lines.map((x) => x.status)).toEqual([403, 403, 200]);
  });

  it('with a secret (--secret or $HOOKPROOF_SECRET) is refused at start, naming the fix', async () => {
    const flagged = await runMain(['listen', 'autoposting', '--secret', 'whsec_a', '--allow-unsigned', '--port', '0']);
    expect(flagged.code).toBe(2);
    expect(flagged.stderr).toContain('a configured secret makes the signature mandatory');
    expect(flagged.stderr).toContain('Drop --allow-unsigned');
    const fromEnv = await runMain(['listen', 'autoposting', '--allow-unsigned', '--port', '0'], { env: { HOOKPROOF_SECRET: 'whsec_a' } });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('(from $HOOKPROOF_SECRET)');
    const verify = await runMain(['verify', 'autoposting', '--secret', 'whsec_a', '--allow-unsigned', '--body', '{}']);
    expect(verify.code).toBe(2);
    expect(verify.stderr).toContain('a configured secret makes the signature mandatory');
  });
});
