import type { AttemptResult, ReceivedResponse, SentRequest } from './types.js';
import type { Transport } from './transports/index.js';

class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

/**
 * One HTTP attempt under the vendor's success rule (a 2xx within `timeoutMs`)
 * (Aidelly's REST API guide, "Delivery and retries": a 2xx within 10 seconds; the other
 * vendors' deadlines are assumed in their profiles). A slower receiver is a `timeout`:
 * the request is aborted, as the vendor hangs up, and its late answer is ignored.
 */
export async function runAttempt(
  transport: Transport,
  request: SentRequest,
  timeoutMs: number,
): Promise<AttemptResult> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    if (Number.isFinite(timeoutMs)) {
      timer = setTimeout(() => {
        const error = new DeadlineExceeded(`no response within ${timeoutMs} ms`);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    }
  });
  const started = performance.now();
  const sending = transport.send(request.headers, request.body, controller.signal);
  // The transport may reject after the deadline already decided; that is not an unhandled error.
  sending.catch(() => undefined);
  let response: ReceivedResponse | undefined;
  let failure: unknown;
  try {
    response = await Promise.race([sending, deadline]);
  } catch (error) {
    failure = error;
  } finally {
    clearTimeout(timer);
  }
  const ms = performance.now() - started;
  if (response !== undefined) {
    const ok = response.status >= 200 && response.status < 300;
    return { status: response.status, ok, outcome: ok ? 'success' : 'http-error', ms, request, response };
  }
  if (controller.signal.aborted || failure instanceof DeadlineExceeded) {
    return { status: undefined, ok: false, outcome: 'timeout', ms, request, response: undefined };
  }
  const error = failure instanceof Error ? `${failure.message}${codeOf(failure)}` : String(failure);
  return { status: undefined, ok: false, outcome: 'network-error', ms, request, response: undefined, error };
}

function codeOf(error: Error): string {
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? ` (${code})` : '';
}
