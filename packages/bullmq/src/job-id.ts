/**
 * The BullMQ job id of a delivery: the vendor and the event id, each URI-encoded and
 * joined by `/`. BullMQ refuses custom ids containing `:` (its key separator) and ids that
 * are integers; encoding turns every `:` (e.g. in `sha256:` body-digest ids) into `%3A`,
 * and the `/` keeps the id from ever being a number. The same event always gets the
 * same id, so writing it twice leaves one job.
 */
export function jobIdFor(vendor: string, eventId: string): string {
  return `${encodeURIComponent(vendor)}/${encodeURIComponent(eventId)}`;
}

/** The vendor and event id back from a job id made by `jobIdFor`, or undefined. */
export function parseJobId(jobId: string): { vendor: string; eventId: string } | undefined {
  const slash = jobId.indexOf('/');
  if (slash <= 0) return undefined;
  try {
    return { vendor: decodeURIComponent(jobId.slice(0, slash)), eventId: decodeURIComponent(jobId.slice(slash + 1)) };
  } catch {
    return undefined;
  }
}
