/**
 * Waiting for another request's I/O without awaiting its promise: Workers forbids a request to
 * await I/O another request started, so the waiting request polls a flag on a timer instead
 * (worker/jwks.ts, worker/revocation.ts).
 */

const POLL_MS = 5;

/** Resolves once `busy()` says false, or once `timeoutMs` have passed, whichever comes first. */
export async function pollWhile(busy: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (busy() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
}
