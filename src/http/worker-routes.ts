/**
 * The Worker's routes: check the id and the caller, then hand the request
 * to the session's Durable Object, which does the rest.
 */
import type { IRequest } from "itty-router";
import { Router } from "itty-router";
import { loadConfig } from "../env.ts";
import type { Caller } from "./auth.ts";
import { authenticate } from "./auth.ts";
import { bodyFormat, checkDeclaredLength, isEmptyUntyped } from "./body.ts";
import { HttpError } from "./errors.ts";
import { isValidId } from "./ids.ts";
import { answerFailedRequest, notFound } from "./respond.ts";

interface RouteOptions {
  /** Only with ENABLE_BENCH_ROUTES. */
  bench?: boolean;
  /** The route takes a body: refuse a wrong type or size before forwarding it. */
  body?: "json" | "events";
}

function checkBodyEnvelope(request: Request, body: RouteOptions["body"]) {
  if (body === undefined) return;
  checkDeclaredLength(request);
  if (!isEmptyUntyped(request)) bodyFormat(request, body === "events");
}

function forwardAs(caller: Caller, options: RouteOptions = {}) {
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
    checkBodyEnvelope(request, options.body);
    return env.CLOUD_AGENT_SESSION.getByName(sessionId).fetch(request);
  };
}

const router = Router<IRequest, [Env]>();
router.get("/health", () => Response.json({ ok: true }));
router.put("/sessions/:sessionId", forwardAs("session", { body: "json" }));
router.post("/sessions/:sessionId/events", forwardAs("ingest", { body: "events" }));
router.get("/sessions/:sessionId/ingest", forwardAs("ingest"));
router.post("/sessions/:sessionId/complete", forwardAs("session", { body: "json" }));
router.get("/sessions/:sessionId", forwardAs("session"));
router.get("/admin/sessions/:sessionId", forwardAs("admin"));
router.post("/admin/sessions/:sessionId/resend", forwardAs("admin", { body: "json" }));
// The benchmark's floor and counters: off unless ENABLE_BENCH_ROUTES is true.
router.post(
  "/bench/sessions/:sessionId/events-floor",
  forwardAs("ingest", { bench: true, body: "events" }),
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
    return answerFailedRequest(error, request);
  }
}
