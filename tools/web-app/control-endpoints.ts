/**
 * The stand-in's control endpoints, for scripts such as the demo: create and
 * read reviews, list the recorded requests. No auth; loopback callers only.
 * @module
 */
import type { ReviewStore } from "./reviews.ts";
import type { Route } from "./routes.ts";
import type { RecordedRequest } from "./types.ts";

/** A control endpoint's answer. */
export interface ControlAnswer {
  status: number;
  body: unknown;
}

type ControlRoute = Extract<Route, { kind: "control-review" | "control-requests" }>;

const LOOPBACK_ADDRESSES: ReadonlySet<string> = new Set([
  "127.0.0.1",
  "::1",
  "::ffff:127.0.0.1",
]);

/** Whether a peer address is this machine. */
export function isLoopback(remoteAddress: string | undefined): boolean {
  return remoteAddress !== undefined && LOOPBACK_ADDRESSES.has(remoteAddress);
}

/** Serves one control request. */
export function handleControl(
  route: ControlRoute,
  method: string,
  store: ReviewStore,
  requests: readonly RecordedRequest[],
): ControlAnswer {
  if (route.kind === "control-requests") {
    return method === "GET" ? { status: 200, body: requests } : methodNotAllowed();
  }

  if (method === "POST") {
    const { review, created } = store.create(route.reviewId);
    return { status: created ? 201 : 200, body: review };
  }
  if (method === "GET") {
    const review = store.get(route.reviewId);
    return review === undefined
      ? { status: 404, body: { error: "Review not found" } }
      : { status: 200, body: review };
  }
  return methodNotAllowed();
}

function methodNotAllowed(): ControlAnswer {
  return { status: 405, body: { error: "Method not allowed" } };
}
