/**
 * Polling a local server until it answers, used to tell when `wrangler dev`
 * is ready and whether a server is up at all.
 * @module
 */
import { setTimeout as sleep } from "node:timers/promises";

/** How long one probe may take before it counts as no answer. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Whether `url` answers with any HTTP status (a 404 counts: the server is
 * up). Network errors and timeouts count as no answer.
 */
export async function answersHttp(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

/**
 * Probes `url` every `intervalMs` until it answers or `timeoutMs` passes.
 * @returns true once it answered, false on timeout or when `signal` aborts
 */
export async function waitForHttp(
  url: string,
  options: { timeoutMs: number; intervalMs: number; signal?: AbortSignal },
): Promise<boolean> {
  const deadlineMs = Date.now() + options.timeoutMs;
  while (Date.now() < deadlineMs && options.signal?.aborted !== true) {
    if (await answersHttp(url)) return true;
    await sleep(options.intervalMs);
  }
  return false;
}
