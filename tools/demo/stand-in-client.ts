/**
 * The web app stand-in's control endpoints, as the demo uses them.
 * @module
 */
import { setTimeout as sleep } from "node:timers/promises";
import { DemoError, requestJson } from "./http-json.ts";
import { arrayAt, nullableStringAt, numberAt, stringAt, valueAt } from "./json-path.ts";

/** The parts of a stand-in review that the demo shows. */
export interface ReviewOutcome {
  status: string;
  summary: string | null;
  footer: string | null;
}

/** One request the stand-in received, reduced to what the demo prints. */
export interface ReceivedCall {
  kind: string;
  answeredStatus: number | null;
}

/** Creates a running review on the stand-in. */
export async function createReview(standInUrl: string, reviewId: string): Promise<void> {
  await requestJson({
    purpose: "create the review on the web app stand-in",
    url: reviewUrl(standInUrl, reviewId),
    method: "POST",
    expectStatus: [201],
  });
}

/**
 * Polls the review until it is no longer running.
 * @throws DemoError after `timeoutMs` with the review still running
 */
export async function waitForTerminalReview(
  standInUrl: string,
  reviewId: string,
  options: { timeoutMs: number; intervalMs: number },
): Promise<ReviewOutcome> {
  const deadlineMs = Date.now() + options.timeoutMs;
  for (;;) {
    const review = await requestJson({
      purpose: "read the review from the web app stand-in",
      url: reviewUrl(standInUrl, reviewId),
    });
    const status = stringAt(review, "status");
    if (status !== "running") {
      const footer = nullableStringAt(review, "footer");
      return { status, summary: nullableStringAt(review, "summary"), footer };
    }
    if (Date.now() >= deadlineMs) {
      throw new DemoError(
        `Review ${reviewId} was still running after ${options.timeoutMs / 1000} s: ` +
          "the service sent no status callback. See the npm start terminal.",
      );
    }
    await sleep(options.intervalMs);
  }
}

/** The requests the stand-in received for one review, in arrival order. */
export async function callsForReview(
  standInUrl: string,
  reviewId: string,
): Promise<ReceivedCall[]> {
  const requests = await requestJson({
    purpose: "list the web app stand-in's requests",
    url: `${standInUrl}/_stand-in/requests`,
  });
  return arrayAt(requests, "")
    .filter((request) => valueAt(request, "reviewId") === reviewId)
    .map((request) => ({
      kind: stringAt(request, "kind"),
      answeredStatus:
        valueAt(request, "answeredStatus") === null
          ? null
          : numberAt(request, "answeredStatus"),
    }));
}

function reviewUrl(standInUrl: string, reviewId: string): string {
  return `${standInUrl}/_stand-in/reviews/${encodeURIComponent(reviewId)}`;
}
