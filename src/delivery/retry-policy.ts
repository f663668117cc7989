/**
 * When to try a delivery again, and whether to try at all. The one place
 * that decides retryable versus permanent.
 */

/** How an attempt ended, as the sender saw it. */
export interface AttemptResult {
  /** The HTTP status, when a response came back. */
  status?: number;
  /** Why no response came back (network error, timeout), when none did. */
  error?: string;
  /** What the receiver asked for in `Retry-After`, in ms from now. */
  retryAfterMs?: number;
  durationMs: number;
}

export type Verdict = "delivered" | "retry" | "failed";

export interface RetryPolicy {
  /** The wait after the 1st, 2nd, ... failed attempt; past the last, give up. */
  delaysMs: readonly number[];
  /** Random spread of each delay: 0.2 means ±20 %. */
  jitterRatio: number;
  /** A `Retry-After` longer than the planned delay is honoured up to this. */
  maxRetryAfterMs: number;
  /** Source of randomness in [0, 1); injectable so tests can pin it. */
  random: () => number;
}

export const JITTER_RATIO = 0.2;
export const MAX_RETRY_AFTER_MS = 3_600_000;

/** Statuses that mean "not now" rather than "never". */
const RETRYABLE_STATUSES = new Set([408, 425, 429]);

/**
 * 2xx is delivered; 408, 425, 429, 5xx and no response at all are retried;
 * anything else (other 4xx, and 3xx since redirects are not followed)
 * fails for good.
 */
export function classify(result: AttemptResult): Verdict {
  const { status } = result;
  if (status === undefined) return "retry";
  if (status >= 200 && status < 300) return "delivered";
  if (status >= 500 || RETRYABLE_STATUSES.has(status)) return "retry";
  return "failed";
}

/**
 * The wait before the next attempt after `attemptsMade` attempts failed,
 * or null when the schedule is used up.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attemptsMade: number,
  retryAfterMs?: number,
): number | null {
  const base = policy.delaysMs[attemptsMade - 1];
  if (base === undefined) return null;

  const spread = (policy.random() * 2 - 1) * policy.jitterRatio;
  const planned = Math.round(base * (1 + spread));
  if (retryAfterMs === undefined) return planned;
  return Math.max(planned, Math.min(retryAfterMs, policy.maxRetryAfterMs));
}

/** The most attempts a delivery gets: the first plus one per delay. */
export function maxAttempts(policy: RetryPolicy): number {
  return policy.delaysMs.length + 1;
}

/**
 * Reads `Retry-After` (seconds, or an HTTP date) as ms from `nowMs`.
 * Anything unreadable is ignored.
 */
export function parseRetryAfterMs(header: string | null, nowMs: number) {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;

  const dateMs = Date.parse(text);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}
