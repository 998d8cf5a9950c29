import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXIT, print, type Command } from './command.js';
import { demo } from './demo.js';
import { events } from './events.js';
import { CliFailure, UsageError, type Io } from './io.js';
import { listen } from './listen.js';
import { replay } from './replay.js';
import { send } from './send.js';
import { sign } from './sign.js';
import { inert } from './safe.js';
import { createStyle } from './style.js';
import { didYouMean } from './suggest.js';
import { verify } from './verify.js';

const commands: readonly Command[] = [send, sign, verify, listen, replay, events, demo];

function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@hookproof/mock-sender') return pkg.version ?? 'unknown';
    } catch {
      // keep looking upwards
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

const overview = (): string => `Usage: hookproof <command> [options]

Test webhook receivers offline: spec-accurate, signed deliveries from Autoposting.ai,
Aidelly, Audenci and Timbrix, with their retry schedules and faults.

Commands:
${commands.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`).join('\n')}

Run "hookproof <command> --help" for a command's options.
Options: -h, --help  show this help;  -v, --version  print the version.
Exit status: 0 ok, 1 verification or delivery failed, 2 usage error.`;

/** Runs the CLI; resolves the exit code (0 ok, 1 failed, 2 usage error). Never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const style = createStyle(io.stdout, io.env);
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const target = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    print(io, target?.help ?? overview());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '-v' || name === '--version') {
    print(io, version());
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr.write(
      `hookproof: unknown command ${inert(JSON.stringify(name))}.${didYouMean(
        name,
        commands.map((c) => c.name),
      )}\n\n${overview()}\n`,
    );
    return EXIT.usage;
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values['help'] === true) {
      print(io, command.help);
      return EXIT.ok;
    }
    return await command.run(values, positionals, io, style);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const parse = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
    const usage =
      error instanceof UsageError || (error instanceof TypeError && /^@hookproof/.test(error.message)) || parse;
    if (usage) {
      const message = parse
        ? parseError(error as Error, command)
        : (error as Error).message.replace(/^@hookproof(\/mock-sender)?: /, '');
      io.stderr.write(
        `hookproof ${command.name}: ${message}\nRun "hookproof ${command.name} --help" for its options.\n`,
      );
      return EXIT.usage;
    }
    if (error instanceof CliFailure) {
      io.stderr.write(`hookproof ${command.name}: ${error.message}\n`);
      return EXIT.failed;
    }
    io.stderr.write(`hookproof ${command.name}: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.failed;
  }
}

/** node:util's parseArgs messages, rewritten in the CLI's words (with a suggestion for a misspelt option). */
function parseError(error: Error, command: Command): string {
  const names = Object.keys(command.options).map((o) => `--${o}`);
  const option = /'(-[^' ]+)/.exec(error.message)?.[1] ?? '';
  const flagName = option.replace(/=.*$/, '');
  if ((error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return `unknown option ${inert(flagName)}.${didYouMean(flagName, [...names, '--help'], false)}`;
  }
  if (/ambiguous/.test(error.message))
    return `${flagName} needs a value; for a value that starts with "-", write ${flagName}=<value>`;
  if (/argument missing/.test(error.message)) return `${flagName} needs a value`;
  if (/does not take an argument/.test(error.message)) return `${flagName} takes no value`;
  if ((error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return `unexpected argument: ${inert(error.message.replace(/^Unexpected argument '([^']*)'.*$/s, '$1'))}`;
  return inert(error.message);
}
