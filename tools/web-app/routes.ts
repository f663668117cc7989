/**
 * Which endpoint a path addresses: the web app's internal endpoints, the
 * stand-in's own control endpoints for scripts, or nothing known.
 * @module
 */
import type { EndpointKind } from "./types.ts";

/** Where a request goes. */
export type Route =
  | { kind: EndpointKind; reviewId: string }
  | { kind: "control-review"; reviewId: string }
  | { kind: "control-requests" }
  | { kind: "other" };

const PREFIXES: readonly { prefix: string; kind: EndpointKind | "control-review" }[] = [
  { prefix: "/api/internal/code-review-usage/", kind: "usage" },
  { prefix: "/api/internal/code-review-status/", kind: "status" },
  { prefix: "/_stand-in/reviews/", kind: "control-review" },
];

/** Matches a URL path (without query) to a route. */
export function matchRoute(pathname: string): Route {
  if (pathname === "/_stand-in/requests") return { kind: "control-requests" };

  for (const { prefix, kind } of PREFIXES) {
    if (!pathname.startsWith(prefix)) continue;
    const reviewId = decodeSegment(pathname.slice(prefix.length));
    return reviewId === null ? { kind: "other" } : { kind, reviewId };
  }
  return { kind: "other" };
}

/** Whether the route is one of the stand-in's own, unrecorded endpoints. */
export function isControlRoute(
  route: Route,
): route is Extract<Route, { kind: "control-review" | "control-requests" }> {
  return route.kind === "control-review" || route.kind === "control-requests";
}

/** The review id of one path segment; null if empty, nested or badly encoded. */
function decodeSegment(segment: string): string | null {
  if (segment.length === 0 || segment.includes("/")) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
