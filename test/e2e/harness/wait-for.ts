/**
 * Waiting by polling a condition, never for a fixed time: a test goes on
 * as soon as what it waits for has happened, and fails with a message that
 * names what never did.
 * @module
 */
import { setTimeout as sleep } from "node:timers/promises";

/** How often a condition is checked. */
const POLL_INTERVAL_MS = 50;

/** What a probe returns while the condition does not hold yet. */
type NotYet = undefined | null | false;

/**
 * Calls `probe` every 50 ms until it returns something other than
 * undefined, null or false, and returns that. An error thrown by the probe
 * ends the wait at once.
 * @param timeoutMs how long to keep trying
 * @param what the awaited condition, for the error on timeout
 * @throws Error naming `what` once `timeoutMs` has passed
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<Exclude<T, NotYet>> {
  const deadlineMs = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) {
      return value as Exclude<T, NotYet>;
    }
    if (Date.now() >= deadlineMs) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
}
