/** Setup mistakes: a `TypeError` whose message names the fix. */
export function setupError(message: string): TypeError {
  return new TypeError(`@hookproof/bullmq: ${message}`);
}
