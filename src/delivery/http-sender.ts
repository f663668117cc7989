/**
 * One delivery attempt over HTTP. Never throws: every way an attempt can
 * end becomes an `AttemptResult`. Retries are not done here but through
 * alarms, so ky's own retry is off.
 */
import ky, { TimeoutError } from "ky";
import type { AttemptResult } from "./retry-policy.ts";
import { parseRetryAfterMs } from "./retry-policy.ts";

/** Where a message goes. Header values may be secrets: never log them. */
export interface DeliveryTarget {
  url: string;
  headers: Record<string, string>;
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof TimeoutError) return `timed out after ${timeoutMs} ms`;
  if (error instanceof Error) return `network error: ${error.message}`.slice(0, 300);
  return "network error";
}

/**
 * POSTs `body` as JSON to `target`, not following redirects (a caller's
 * headers must not travel to a host the operator did not allow).
 * @param timeoutMs the whole attempt's limit.
 */
export async function postJson(
  target: DeliveryTarget,
  body: string,
  idempotencyKey: string,
  timeoutMs: number,
): Promise<AttemptResult> {
  const startedMs = Date.now();
  try {
    const response = await ky.post(target.url, {
      body,
      headers: {
        ...target.headers,
        "content-type": "application/json",
        "idempotency-key": idempotencyKey,
      },
      redirect: "manual",
      retry: 0,
      timeout: timeoutMs,
      throwHttpErrors: false,
    });
    // The body is not kept; reading it frees the connection.
    await response.body?.cancel();
    const retryAfterMs = parseRetryAfterMs(
      response.headers.get("retry-after"),
      Date.now(),
    );
    return { status: response.status, retryAfterMs, durationMs: Date.now() - startedMs };
  } catch (error) {
    return {
      error: describeFailure(error, timeoutMs),
      durationMs: Date.now() - startedMs,
    };
  }
}
