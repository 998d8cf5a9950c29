import { diagnose, parseTimestamp, vendors } from '@hookproof/core';
import { EXIT, flag, print, str, strs, type Command } from './command.js';
import { bodyArg, headersArg, numberArg, secretsArg, UsageError, vendorArg } from './io.js';

export const verify: Command = {
  name: 'verify',
  summary: "verify a delivery and explain a failure (core's diagnose())",
  help: `Usage: HOOKPROOF_SECRET=… hookproof verify <vendor> --header "Name: value" ... [--body <text> | --file <path> | < body]

Verifies a delivery as @hookproof/core would and prints the diagnosis: on failure, the
most likely cause (body re-serialised, trailing newline, secret prefix, wrong encoding,
clock skew, ...) and how to fix it.

Options:
  --secret <secret>    signing secret; repeat during key rotation (default: $HOOKPROOF_SECRET,
                       which is better: a --secret value is visible to every user in \`ps\`)
  --header <"K: V">    a delivery header as received (repeatable)
  --body <text>        the raw body (else --file, else stdin)
  --file <path>        read the raw body from a file
  --now <time>         the clock to check the timestamp against: unix s/ms or ISO-8601 (default: now)
  --tolerance <s>      replay window in seconds (default: the vendor's)
  --allow-unsigned     accept a delivery with no signature (Autoposting only, without a secret)
  --json               print the diagnosis as JSON
  -h, --help           show this help

Exit status: 0 valid, 1 invalid, 2 usage error.`,
  options: {
    secret: { type: 'string', multiple: true },
    header: { type: 'string', multiple: true },
    body: { type: 'string' },
    file: { type: 'string' },
    now: { type: 'string' },
    tolerance: { type: 'string' },
    'allow-unsigned': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(values, positionals, io, style) {
    const vendor = vendorArg(positionals[0]);
    const secrets = secretsArg(strs(values, 'secret'), io.env);
    if (secrets.length === 0 && !flag(values, 'allow-unsigned'))
      throw new UsageError('a secret is required: set $HOOKPROOF_SECRET (or pass --secret)');
    if (secrets.length > 0 && flag(values, 'allow-unsigned')) {
      throw new UsageError(
        '--allow-unsigned cannot be combined with a secret: a configured secret makes the signature mandatory. Drop --allow-unsigned, or drop the secret to check an unsigned delivery.',
      );
    }
    const headers = headersArg(strs(values, 'header'));
    const nowText = str(values, 'now');
    const nowMs = nowText === undefined ? undefined : parseTimestamp(nowText);
    if (nowText !== undefined && nowMs === undefined)
      throw new UsageError(`--now takes unix seconds, unix ms or ISO-8601, got ${JSON.stringify(nowText)}`);
    const toleranceSec = numberArg(str(values, 'tolerance'), 'tolerance');
    const body = await bodyArg({ body: str(values, 'body'), file: str(values, 'file') }, io);
    let diagnosis;
    try {
      diagnosis = await diagnose({
        vendor,
        body,
        headers,
        secret: secrets,
        ...(nowMs === undefined ? {} : { now: () => nowMs }),
        ...(toleranceSec === undefined ? {} : { toleranceSec }),
        ...(flag(values, 'allow-unsigned') ? { allowUnsigned: true } : {}),
      });
    } catch (error) {
      throw new UsageError((error as Error).message.replace(/^@hookproof: /, ''));
    }
    if (flag(values, 'json')) print(io, JSON.stringify(diagnosis, null, 2));
    else if (diagnosis.ok) print(io, style.green(`valid ${vendors[vendor].name} delivery: ${diagnosis.summary}`));
    else {
      print(
        io,
        `${style.red(`invalid: ${diagnosis.code ?? 'unknown'}`)}${diagnosis.cause === undefined ? '' : style.dim(` (likely cause: ${diagnosis.cause})`)}`,
      );
      print(io, diagnosis.summary);
      for (const f of diagnosis.findings.slice(1)) print(io, style.dim(`  also possible (${f.cause}): ${f.message}`));
    }
    return diagnosis.ok ? EXIT.ok : EXIT.failed;
  },
};
