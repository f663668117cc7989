/**
 * Turning failures into answers: an `HttpError` becomes its JSON body, a
 * bad configuration a logged 500 `misconfigured`, anything else a logged
 * 500 `internal_error` whose reason stays in the log.
 */
import { ConfigError } from "../env.ts";
import { logEvent } from "../log/logger.ts";
import { discardBody } from "./body.ts";
import { HttpError, errorResponse } from "./errors.ts";

function routeOf(request: Request | null): string | undefined {
  if (!request) return undefined;
  return `${request.method} ${new URL(request.url).pathname}`;
}

/** The answer for `error`, logged when it is the service's fault. */
export function handleError(error: unknown, request: Request | null): Response {
  if (error instanceof HttpError) return errorResponse(error);

  if (error instanceof ConfigError) {
    logEvent("config.misconfigured", { setting: error.setting, problem: error.problem });
    return errorResponse(
      new HttpError("misconfigured", `the service is misconfigured: ${error.setting}`),
    );
  }
  const reason =
    error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  logEvent("request.error", { route: routeOf(request), error: reason.slice(0, 500) });
  return errorResponse(new HttpError("internal_error", "internal error"));
}

/**
 * The answer to a request that failed. An early answer leaves the body
 * unread; it is drained (see `discardBody`) so the runtime does not keep
 * pumping it after the answer.
 */
export async function answerFailedRequest(error: unknown, request: Request) {
  await discardBody(request);
  return handleError(error, request);
}

/** The answer for a path or method the service does not serve. */
export function notFound(request: Request): Response {
  return errorResponse(new HttpError("not_found", `no route for ${routeOf(request)}`));
}
