import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';

export const pkgDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const CLI = join(pkgDir, 'dist', 'cli.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written, readable at any time (`text()`). */
export function capture(): Writable & { text(): string; isTTY?: boolean } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      text += chunk.toString();
      done();
    },
  }) as Writable & { text(): string };
  stream.text = () => text;
  return stream;
}

/** The CLI in this process (sources, no build): fast, and the clock and network are the test's. */
export async function runMain(args: string[], options: { env?: Record<string, string>; input?: string; signal?: AbortSignal; stdout?: ReturnType<typeof capture> } = {}): Promise<Run> {
  const stdout = options.stdout ?? capture();
  const stderr = capture();
  const stdin = new PassThrough();
  stdin.end(options.input ?? '');
  const code = await main(args, { stdout, stderr, stdin, env: { ...options.env }, ...(options.signal === undefined ? {} : { signal: options.signal }) });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** A long-running command (`listen`) in-process: resolves its first line, stops on `stop()`. */
export async function startMain(args: string[], env: Record<string, string> = {}) {
  const controller = new AbortController();
  const stdout = capture();
  const running = runMain(args, { env, signal: controller.signal, stdout });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const text = stdout.text();
      if (text.includes('\n')) {
        clearInterval(timer);
        resolve(text.split('\n')[0]!);
      }
    }, 5);
    running.then((r) => {
      clearInterval(timer);
      reject(new Error(`exited early (${r.code}): ${r.stdout}${r.stderr}`));
    }, reject);
  });
  return {
    first,
    output: () => stdout.text(),
    done: running,
    async stop() {
      controller.abort();
      return running;
    },
  };
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds with tsup when dist is missing or older than src (for tests that need a real process). */
export function ensureBuilt(dir: string, output: string): void {
  const out = join(dir, 'dist', output);
  if (existsSync(out) && statSync(out).mtimeMs >= newest(join(dir, 'src'))) return;
  const tsup = createRequire(import.meta.url).resolve('tsup/package.json').replace(/package\.json$/, 'dist/cli-default.js');
  execFileSync(process.execPath, [tsup], { cwd: dir, stdio: 'pipe', timeout: 120_000 });
}

export function buildCli(): void {
  ensureBuilt(join(pkgDir, '..', 'core'), 'index.js');
  ensureBuilt(pkgDir, 'cli.js');
}

/** The built bin in a child process. */
export function spawnCli(args: string[], env: Record<string, string | undefined> = {}) {
  return spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, HOOKPROOF_SECRET: undefined, ...env } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
}
