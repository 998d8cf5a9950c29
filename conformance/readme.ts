// The README mount tests run copies of the README's code blocks; this reads the block
// back so a test fails as soon as the README and the tested copy differ.
import { readFileSync } from 'node:fs';

/** The first ```ts block after the heading `## {heading}` in `readmePath`, with a final newline. */
export function readmeBlock(readmePath: URL, heading: string): string {
  const text = readFileSync(readmePath, 'utf8');
  const at = text.indexOf(`\n## ${heading}\n`);
  if (at < 0) throw new Error(`no "## ${heading}" in ${readmePath.pathname}`);
  const open = text.indexOf('```ts\n', at);
  const close = text.indexOf('\n```', open + 6);
  if (open < 0 || close < 0) throw new Error(`no ts block after "## ${heading}"`);
  return `${text.slice(open + 6, close)}\n`;
}
