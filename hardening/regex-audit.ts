// Every regular expression literal in packages/core/src, reviewed for catastrophic
// backtracking. security.test.ts fails when a regex is added or changed without an entry
// here, and drives the peer-facing ones with adversarial 64 KB inputs. docs/security.md
// summarises this table.

export interface RegexReview {
  readonly file: string;
  /** The literal exactly as written in the source, flags included. */
  readonly literal: string;
  /** Who controls the text it runs on. */
  readonly input: 'peer' | 'own output' | 'setup';
  /** Why it cannot backtrack badly (or why that cannot matter). */
  readonly verdict: string;
}

export const regexReviews: readonly RegexReview[] = [
  { file: 'encoding.ts', literal: '/^[A-Za-z0-9+/_-]+={0,2}$/', input: 'peer', verdict: 'anchored; the class excludes "=", so the + and {0,2} cannot trade characters: linear. Tokens are capped at 4 096 characters first.' },
  { file: 'encoding.ts', literal: '/[\\s,]/', input: 'peer', verdict: 'a single class, no quantifier.' },
  { file: 'encoding.ts', literal: '/\\+/g', input: 'own output', verdict: 'single character; runs on base64 that sign() produced.' },
  { file: 'encoding.ts', literal: '/\\//g', input: 'own output', verdict: 'single character; runs on base64 that sign() produced.' },
  { file: 'encoding.ts', literal: '/=+$/', input: 'own output', verdict: 'quadratic on a long "=" run not at the end, so it only trims padding of base64 that sign() produced; peer tokens are trimmed with a loop (base64ToBytes).' },
  { file: 'timestamp.ts', literal: '/^\\d{1,16}$/', input: 'peer', verdict: 'anchored, bounded repetition; the value is capped at 40 characters first.' },
  { file: 'timestamp.ts', literal: '/^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:?\\d{2})$/', input: 'peer', verdict: 'anchored, every repetition bounded, no nesting; capped at 40 characters first.' },
  { file: 'guard.ts', literal: '/^\\d{1,3}$/', input: 'setup', verdict: 'the prefix length of an allowIps/trustProxy entry, read once at setup.' },
  { file: 'delivery-log.ts', literal: '/[\\u0000-\\u001f\\u007f\\u2028\\u2029]/g', input: 'peer', verdict: 'single class, no quantifier: escapes control characters in a log line, one pass.' },
  { file: 'diagnose.ts', literal: '/[\\s,]+/', input: 'peer', verdict: 'split on one class with +: each character is tried once.' },
  { file: 'diagnose.ts', literal: '/^(?:sha256|v1)[=:]/i', input: 'peer', verdict: 'anchored literal alternatives.' },
  { file: 'diagnose.ts', literal: '/^[0-9a-f]+$/i', input: 'peer', verdict: 'anchored single class: linear.' },
  { file: 'diagnose.ts', literal: '/^sha1=/i', input: 'peer', verdict: 'anchored literal.' },
  { file: 'diagnose.ts', literal: '/^[0-9a-f]{40}$/i', input: 'peer', verdict: 'anchored, bounded.' },
  { file: 'diagnose.ts', literal: '/^[0-9a-f]{64}$/i', input: 'peer', verdict: 'anchored, bounded.' },
  { file: 'diagnose.ts', literal: '/^whsec_/', input: 'setup', verdict: 'anchored literal on the configured secret.' },
  { file: 'diagnose.ts', literal: '/[\\u0080-\\uffff]/g', input: 'peer', verdict: 'single class, no quantifier; on a re-serialisation of the (size-limited) body.' },
  { file: 'diagnose.ts', literal: '/\\//g', input: 'peer', verdict: 'single character.' },
  { file: 'diagnose.ts', literal: '/[^\\x00-\\x7f]/', input: 'peer', verdict: 'single class, no quantifier; on a re-serialisation of a body of at most 8 KiB.' },
  { file: 'scheme.ts', literal: '/\\s/', input: 'setup', verdict: 'a single class, no quantifier; on a scheme\'s signature prefix, at setup.' },
  { file: 'scheme.ts', literal: '/\\{([^{}]*)\\}/g', input: 'setup', verdict: 'literal braces around one negated class that excludes them: linear. On a scheme\'s signedContent template, at setup.' },
  { file: 'scheme.ts', literal: "/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/", input: 'setup', verdict: 'anchored single class: linear. On header names of a scheme, at setup.' },
  { file: 'scheme.ts', literal: '/^[A-Za-z0-9+/_-]+={0,2}$/', input: 'setup', verdict: 'anchored; the class excludes "=": linear. On the configured secret (base64 encodings), decoded once and cached.' },
  { file: 'scheme.ts', literal: '/^[A-Za-z0-9_-]+$/', input: 'setup', verdict: 'anchored single class: linear. On a scheme\'s timestamp key, at setup.' },
  { file: 'sign.ts', literal: '/-/g', input: 'own output', verdict: 'single character; removes the dashes of crypto.randomUUID() for a message id.' },
];

/**
 * Regex literals in TypeScript source, found by a lexical heuristic that is enough for
 * core's code style: a `/` that starts an expression (after `=`, `(`, `,`, `:`, `!`, `&`,
 * `|`, `?`, `[`, `{`, `;`, `>`, `return`), up to the closing `/` and its flags.
 */
export function regexLiterals(source: string): string[] {
  const literal = /(?<=[=(,:!&|?[{;>]\s*|\breturn\s+)\/(?![/*\s])(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[])+\/[dgimsuyv]*/g;
  // Comments may hold slashes that look like regexes: drop them first.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\])\/\/.*$/gm, '$1');
  return [...code.matchAll(literal)].map((m) => m[0]);
}
