/**
 * Shapes shared by the web app stand-in's modules and its callers (tests,
 * `npm start`, the demo).
 * @module
 */

/** The two internal endpoints of the web app that the session service calls. */
export type EndpointKind = "usage" | "status";

/** What a review's status can be; everything but `running` is terminal. */
export type ReviewStatus = "running" | "completed" | "failed" | "interrupted";

/** Usage as the usage endpoint stores it: each field is the last value sent. */
export interface StoredUsage {
  model?: string;
  totalTokensIn?: number;
  totalTokensOut?: number;
  /** `Math.round(totalCost * 1_000_000)`, as the real endpoint stores it. */
  totalCostMicroUsd?: number;
}

/** One review, as the web app would keep it for a pull request. */
export interface Review {
  reviewId: string;
  status: ReviewStatus;
  usage: StoredUsage;
  /** The summary comment as posted on the pull request, footer included. */
  summary: string | null;
  /** The usage footer alone; null when none was appended. */
  footer: string | null;
}

/**
 * One request the stand-in received, recorded in arrival order.
 *
 * The record is pushed when the request arrives and completed as it is
 * handled: `body` once read, `answeredStatus` just before the answer is
 * written, so a client that has its answer sees a complete record.
 */
export interface RecordedRequest {
  kind: EndpointKind | "other";
  /** The review id from the path; null for paths that carry none. */
  reviewId: string | null;
  method: string;
  path: string;
  receivedAtMs: number;
  /** Null while in flight, and for requests dropped without an answer. */
  answeredStatus: number | null;
  /** Parsed JSON when the body parses, else the raw text ("" when empty). */
  body: unknown;
  /** The `Idempotency-Key` header, null when absent. */
  idempotencyKey: string | null;
}

/**
 * A failure to inject: an HTTP answer given instead of handling the request,
 * or `"drop"` to destroy the socket without answering (a network error for
 * the client).
 */
export type Fault =
  { status: number; headers?: Record<string, string>; body?: string } | "drop";
