import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { vendorIds } from '@hookproof/core';
import type { Delivery } from './record.js';

const slug = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'event';

/** `<DIR>/<time>-<seq>-<vendor>-<type>.json`: sorted by name is sorted by arrival. */
export async function saveDelivery(dir: string, d: Delivery): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(
    dir,
    `${d.at.replace(/[:.]/g, '-')}-${String(d.seq).padStart(4, '0')}-${d.vendor}-${slug(d.type ?? d.verdict)}.json`,
  );
  await writeFile(file, `${JSON.stringify(d, null, 2)}\n`, { flag: 'wx' });
  return file;
}

function isDelivery(value: unknown): value is Delivery {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v['format'] === 'hookproof-delivery/1' &&
    typeof v['vendor'] === 'string' &&
    (vendorIds as readonly string[]).includes(v['vendor']) &&
    typeof v['bodyBase64'] === 'string' &&
    Array.isArray(v['headers']) &&
    (v['headers'] as unknown[]).every(
      (h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string',
    )
  );
}

/** One saved delivery, or every one in a directory (in name order); a file that is not one is an error naming it. */
export async function loadDeliveries(path: string): Promise<{ file: string; delivery: Delivery }[]> {
  const files = (await stat(path)).isDirectory()
    ? (await readdir(path))
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(path, f))
    : [path];
  const out: { file: string; delivery: Delivery }[] = [];
  for (const file of files) {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file} is not JSON: ${(error as Error).message}`);
    }
    if (!isDelivery(value)) throw new Error(`${file} is not a delivery saved by \`hookproof listen --save\``);
    out.push({ file, delivery: value });
  }
  return out;
}
