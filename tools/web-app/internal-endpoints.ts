/**
 * The web app's two internal endpoints, as pure handlers of an already read
 * request: the usage endpoint (REFERENCE.md §1) and the status callback (§2).
 * @module
 */
import { timingSafeEqual } from "node:crypto";
import { parseJson } from "./http-io.ts";
import { describeStatus, describeUsage } from "./log-lines.ts";
import { parseStatusPayload, parseUsagePayload } from "./payloads.ts";
import type { PayloadIssue } from "./payloads.ts";
import type { ReviewStore } from "./reviews.ts";
import type { EndpointKind, Review } from "./types.ts";

/** A request to one of the internal endpoints, body already read. */
export interface InternalCall {
  kind: EndpointKind;
  reviewId: string;
  /** The `X-Internal-Secret` header, null when absent. */
  secretHeader: string | null;
  bodyText: string;
}

/** What the stand-in shared with the handlers. */
export interface EndpointContext {
  store: ReviewStore;
  internalSecret: string;
  /** Create unknown reviews on the fly instead of answering 404. */
  autoCreateReviews: boolean;
}

/** The answer to give, a note for the log line, and the review it finished. */
export interface Answer {
  status: number;
  body: unknown;
  note: string;
  finished?: Review;
}

/** Handles one call the way the real endpoint would answer it. */
export function handleInternalCall(call: InternalCall, context: EndpointContext): Answer {
  if (!secretMatches(call.secretHeader, context.internalSecret)) {
    return {
      status: 401,
      body: { error: "Unauthorized" },
      note: "bad X-Internal-Secret",
    };
  }

  // The real endpoints parse inside their catch-all, so bad JSON is a 500.
  const parsed = parseJson(call.bodyText);
  if (!parsed.ok) {
    return {
      status: 500,
      body: { error: "Internal server error" },
      note: "malformed JSON",
    };
  }

  return call.kind === "usage"
    ? handleUsage(call.reviewId, parsed.value, context)
    : handleStatus(call.reviewId, parsed.value, context);
}

function handleUsage(reviewId: string, body: unknown, context: EndpointContext): Answer {
  const payload = parseUsagePayload(body);
  if (!payload.ok) return invalidPayload(payload.issues);
  if (!reviewExists(reviewId, context)) return reviewNotFound();

  context.store.storeUsage(reviewId, payload.value);
  return { status: 200, body: { success: true }, note: describeUsage(payload.value) };
}

function handleStatus(reviewId: string, body: unknown, context: EndpointContext): Answer {
  const payload = parseStatusPayload(body);
  if (!payload.ok) return invalidPayload(payload.issues);
  if (!reviewExists(reviewId, context)) return reviewNotFound();

  const result = context.store.applyStatus(reviewId, payload.value);
  const note = describeStatus(payload.value);
  if (result.outcome === "already-terminal") {
    const ignored = `${note} (ignored: review already ${result.review.status})`;
    return { status: 200, body: { success: true }, note: ignored };
  }
  return { status: 200, body: { success: true }, note, finished: result.review };
}

function reviewExists(reviewId: string, context: EndpointContext): boolean {
  if (context.autoCreateReviews) context.store.create(reviewId);
  return context.store.has(reviewId);
}

function invalidPayload(issues: PayloadIssue[]): Answer {
  const paths = issues.map((issue) => issue.path || "(body)").join(",");
  return {
    status: 400,
    body: { error: "Invalid payload", details: issues },
    note: `invalid payload: ${paths}`,
  };
}

function reviewNotFound(): Answer {
  return { status: 404, body: { error: "Review not found" }, note: "review not found" };
}

/** Compares in constant time so the stand-in models good practice. */
function secretMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const givenBytes = Buffer.from(given);
  const expectedBytes = Buffer.from(expected);
  return (
    givenBytes.length === expectedBytes.length &&
    timingSafeEqual(givenBytes, expectedBytes)
  );
}
