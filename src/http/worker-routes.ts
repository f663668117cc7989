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

function forwardAs(caller: Caller) {
  return async (request: IRequest, env: Env): Promise<Response> => {
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
router.post("/sessions/:sessionId/complete", forwardAs("session"));
router.get("/sessions/:sessionId", forwardAs("session"));
router.get("/admin/sessions/:sessionId", forwardAs("admin"));
router.post("/admin/sessions/:sessionId/resend", forwardAs("admin"));

/** Serves one request to the Worker. */
export async function handleRequest(request: Request, env: Env): Promise<Response> {
  try {
    const response = (await router.fetch(request, env)) as Response | undefined;
    return response ?? notFound(request);
  } catch (error) {
    return handleError(error, request);
  }
}
