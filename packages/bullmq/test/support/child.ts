import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const src = (pkg: string) => fileURLToPath(new URL(`../../../${pkg}/src/index.ts`, import.meta.url));

/**
 * Bundles a TypeScript entry with the workspace packages taken from their sources (as
 * vitest does), into packages/bullmq/node_modules/.cache so `bullmq` resolves from there.
 */
export async function bundle(entry: URL, name: string): Promise<string> {
  const dir = fileURLToPath(new URL('../../node_modules/.cache/hookproof-tests/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const outfile = `${dir}${name}-${process.pid}.mjs`;
  await build({
    entryPoints: [fileURLToPath(entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['ioredis', 'bullmq'],
    alias: { '@hookproof/core/adapter': fileURLToPath(new URL('../../../core/src/adapter.ts', import.meta.url)), '@hookproof/core': src('core'), '@hookproof/bullmq': src('bullmq') },
    logLevel: 'silent',
  });
  return outfile;
}

export interface ChildLine {
  readonly name: string;
  readonly kind: string;
  readonly [key: string]: unknown;
}

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly url: string;
  /** Every JSON line the child printed so far. */
  readonly lines: ChildLine[];
  /** Resolves with the first line (already printed or to come) that matches. */
  waitFor(match: (line: ChildLine) => boolean, timeoutMs?: number): Promise<ChildLine>;
  stop(): Promise<void>;
}

/** Starts `node file` with `env` and waits for its `listening` line. */
export async function startChild(file: string, name: string, env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, [file], { env: { ...process.env, ...env, HP_NAME: name }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: ChildLine[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    lines.push(JSON.parse(text) as ChildLine);
    for (const wake of waiters) wake();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = (match: (line: ChildLine) => boolean, timeoutMs = 10_000) =>
    new Promise<ChildLine>((resolve, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${name}: no matching line within ${timeoutMs} ms; stderr:\n${stderr}`));
      }, timeoutMs);
      const onExit = () => {
        cleanup();
        reject(new Error(`${name} exited (${child.exitCode ?? child.signalCode}); stderr:\n${stderr}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
        child.off('exit', onExit);
      };
      waiters.add(check);
      child.once('exit', onExit);
      check();
    });
  const listening = await waitFor((line) => line.kind === 'listening');
  return {
    name,
    process: child,
    url: `http://127.0.0.1:${String(listening.port)}/`,
    lines,
    waitFor,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(force);
      }
    },
  };
}
