/**
 * The Worker's routes: check the id and the caller, then hand the request
 * to the session's Durable Object, which does the rest.
 */
import type { IRequest } from "itty-router";
import { Router } from "itty-router";
import { loadConfig } from "../env.ts";
import type { Caller } from "./auth.ts";
import { authenticate } from "./auth.ts";
import { HttpError } from "./errors.ts";
import { isValidId } from "./ids.ts";
import { handleError, notFound } from "./respond.ts";

function forwardAs(caller: Caller, options: { bench?: boolean } = {}) {
  return async (request: IRequest, env: Env): Promise<Response> => {
    if (options.bench && !loadConfig(env).enableBenchRoutes) return notFound(request);
    const sessionId = String(request.params.sessionId);
    if (!isValidId(sessionId)) {
      throw new HttpError(
        "invalid_request",
        "session id must be 1 to 128 characters of A-Z a-z 0-9 . _ : - (not . or ..)",
      );
    }
    const config = loadConfig(env);
    await authenticate(request, caller, sessionId, config);
    return env.CLOUD_AGENT_SESSION.getByName(sessionId).fetch(request);
  };
}

const router = Router<IRequest, [Env]>();
router.get("/health", () => Response.json({ ok: true }));
router.put("/sessions/:sessionId", forwardAs("session"));
router.post("/sessions/:sessionId/events", forwardAs("ingest"));
router.get("/sessions/:sessionId/ingest", forwardAs("ingest"));
router.post("/sessions/:sessionId/complete", forwardAs("session"));
router.get("/sessions/:sessionId", forwardAs("session"));
router.get("/admin/sessions/:sessionId", forwardAs("admin"));
router.post("/admin/sessions/:sessionId/resend", forwardAs("admin"));
// The benchmark's floor and counters: off unless ENABLE_BENCH_ROUTES is true.
router.post(
  "/bench/sessions/:sessionId/events-floor",
  forwardAs("ingest", { bench: true }),
);
router.get(
  "/bench/sessions/:sessionId/ingest-floor",
  forwardAs("ingest", { bench: true }),
);
router.get("/bench/sessions/:sessionId/stats", forwardAs("admin", { bench: true }));

/** Serves one request to the Worker. */
export async function handleRequest(request: Request, env: Env): Promise<Response> {
  try {
    const response = (await router.fetch(request, env)) as Response | undefined;
    return response ?? notFound(request);
  } catch (error) {
    return handleError(error, request);
  }
}
