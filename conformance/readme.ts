// The README mount tests run copies of the README's code blocks; this reads the block
// back so a test fails as soon as the README and the tested copy differ.
import { readFileSync } from 'node:fs';

/** The first ```ts block after the heading `## {heading}` in `readmePath`, with a final newline. */
export function readmeBlock(readmePath: URL, heading: string): string {
  const text = readFileSync(readmePath, 'utf8');
  const at = text.indexOf(`\n## ${heading}\n`);
  if (at < 0) throw new Error(`no "## ${heading}" in ${readmePath.pathname}`);
  // The fence may carry an info string (```ts no-check: reason).
  const fence = /```ts[^\n]*\n/g;
  fence.lastIndex = at;
  const open = fence.exec(text);
  const close = open === null ? -1 : text.indexOf('\n```', open.index + open[0].length);
  if (open === null || close < 0) throw new Error(`no ts block after "## ${heading}"`);
  return `${text.slice(open.index + open[0].length, close)}\n`;
}
