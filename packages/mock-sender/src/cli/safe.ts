/**
 * Text that came from the network (a signed event's type and id, a payload, a target's
 * response) is printed inert: a terminal acts on control characters, so an event type
 * carrying `ESC ]0;…` would retitle the window and `ESC [2J` would clear it. Every C0
 * and C1 control, DEL and the bidi overrides (which reorder what is shown) are printed
 * as visible escapes instead.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_KEEP_LINES =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string): string => {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** One line of peer data: every control character escaped, newlines included. */
export function inert(text: string): string {
  return text.replace(CONTROL, escape);
}

/** A block of peer data (a pretty-printed payload): newlines and tabs kept, every other control escaped. */
export function inertBlock(text: string): string {
  return text.replace(CONTROL_KEEP_LINES, escape);
}

/**
 * `JSON.stringify` escapes only U+0000–U+001F: DEL, the C1 controls (U+009B is a
 * one-character CSI on some terminals) and the bidi overrides would reach the
 * terminal raw. Outside strings JSON has none of them, so escaping them everywhere
 * keeps the line valid JSON with the same value.
 */
export function jsonLine(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(
    CONTROL,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
