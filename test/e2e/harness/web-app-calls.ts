/**
 * What the web app stand-in saw of one review: its usage reports and status
 * callbacks, in arrival order, and the questions the tests ask of them.
 * @module
 */
import type { RecordedRequest, WebAppStandIn } from "../../../tools/web-app/stand-in.ts";

/** One review's requests, in arrival order. */
export interface ReviewCalls {
  all: RecordedRequest[];
  usage: RecordedRequest[];
  status: RecordedRequest[];
}

/** The requests that the stand-in recorded for `reviewId` so far. */
export function callsFor(standIn: WebAppStandIn, reviewId: string): ReviewCalls {
  const all = standIn.requests.filter((request) => request.reviewId === reviewId);
  return {
    all,
    usage: all.filter((request) => request.kind === "usage"),
    status: all.filter((request) => request.kind === "status"),
  };
}

/** Whether the request got a 2xx answer. */
export function isAccepted(request: RecordedRequest): boolean {
  const status = request.answeredStatus;
  return status !== null && status >= 200 && status < 300;
}

/** The answers, in order; null for a request dropped without one. */
export function answers(requests: readonly RecordedRequest[]): (number | null)[] {
  return requests.map((request) => request.answeredStatus);
}

/**
 * Where, in the review's arrival order, the first accepted usage report and
 * the first status callback came; -1 for none.
 */
export function usageAndStatusPositions(calls: ReviewCalls) {
  return {
    usage: calls.all.findIndex((r) => r.kind === "usage" && isAccepted(r)),
    status: calls.all.findIndex((r) => r.kind === "status"),
  };
}
