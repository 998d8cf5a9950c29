import { schemeOf, vendorIds, vendors, type Provenance, type VendorProfile } from '@hookproof/core';
import { EXIT, flag, print, type Command } from './command.js';
import { duration } from './format.js';
import { vendorArg } from './io.js';

/** What the vendor's MAC covers, read from its scheme: `the raw body` or e.g. `"<timestamp>.<raw body>"`. */
function describeSigned(profile: VendorProfile): string {
  const scheme = schemeOf(profile);
  if (scheme.signedContent === '{body}') return 'the raw body';
  return `"${scheme.template.map((p) => ('text' in p ? p.text : p.field === 'body' ? '<raw body>' : `<${p.field}>`)).join('')}"`;
}

const source = (p: Provenance): string => ('documented' in p ? `documented: ${p.documented}` : `assumed: ${p.assumed}`);

export const events: Command = {
  name: 'events',
  summary: 'list the events, retry schedule and deadline of each vendor (from the core profiles)',
  help: `Usage: hookproof events [vendor] [--json]

Lists each vendor's documented events, the names it mentions elsewhere, its retry
schedule and delivery deadline, with where each fact comes from.

Options:
  --json       print as JSON
  -h, --help   show this help

Exit status: 0 ok, 2 usage error.`,
  options: { json: { type: 'boolean' } },
  async run(values, positionals, io, style) {
    const ids = positionals[0] === undefined ? vendorIds : [vendorArg(positionals[0])];
    if (flag(values, 'json')) {
      print(
        io,
        JSON.stringify(
          ids.map((id) => {
            const p = vendors[id];
            return {
              vendor: id,
              name: p.name,
              events: p.events,
              otherEvents: p.otherEvents,
              retryDelaysSec: p.retry.delaysSec,
              timeoutMs: p.timeoutMs,
              retrySource: p.provenance.retry,
            };
          }),
          null,
          2,
        ),
      );
      return EXIT.ok;
    }
    for (const id of ids) {
      const p = vendors[id];
      print(io, `${style.bold(p.name)} ${style.dim(`(${id}${p.docsUrl === undefined ? '' : `, ${p.docsUrl}`})`)}`);
      print(io, `  signature ${p.signatureHeader}, signs ${describeSigned(p)}`);
      print(
        io,
        `  retries   after ${p.retry.delaysSec.map((s) => duration(s * 1000)).join(', ')}  ${style.dim(`(${source(p.provenance.retry)})`)}`,
      );
      print(io, `  deadline  ${duration(p.timeoutMs)}  ${style.dim(`(${source(p.provenance.timeoutMs)})`)}`);
      print(io, '  events');
      for (const e of p.events) print(io, `    ${e}`);
      for (const e of p.otherEvents)
        print(io, `    ${e} ${style.dim('(mentioned, payload undocumented: send with --undocumented)')}`);
      print(io);
    }
    return EXIT.ok;
  },
};
