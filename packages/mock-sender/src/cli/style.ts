/**
 * Colours only on a terminal: never in pipes, files or CI logs, and never with
 * NO_COLOR set (no-color.org). FORCE_COLOR turns them on anyway.
 */
export interface Style {
  readonly enabled: boolean;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  cyan(s: string): string;
}

export function createStyle(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  const force = env['FORCE_COLOR'];
  const noColor = env['NO_COLOR'];
  const enabled =
    noColor !== undefined && noColor !== ''
      ? false
      : force !== undefined && force !== '' && force !== '0'
        ? true
        : stream.isTTY === true;
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return {
    enabled,
    green: wrap(32, 39),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
    cyan: wrap(36, 39),
  };
}
