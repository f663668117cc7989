/**
 * The `CloudAgentSession` Durable Object: one per agent session. A thin
 * shell that wires storage, fetch and alarm to the session modules.
 */
import { DurableObject } from "cloudflare:workers";
import type { IRequest } from "itty-router";
import { Router } from "itty-router";
import type { Config } from "../env.ts";
import { loadConfig } from "../env.ts";
import { handleError, notFound } from "../http/respond.ts";
import { AlarmClock } from "./alarm-clock.ts";
import type { HandlerContext } from "./handlers.ts";
import * as handlers from "./handlers.ts";
import { onAlarm } from "./lifecycle.ts";
import { SessionService } from "./session-service.ts";

type Handler = (request: IRequest, ctx: HandlerContext) => Promise<Response> | Response;

/** Routes as the Worker forwards them, after it checked auth. */
function buildRouter(handle: (h: Handler) => (r: IRequest) => Promise<Response>) {
  const router = Router();
  router.put("/sessions/:sessionId", handle(handlers.register));
  router.post("/sessions/:sessionId/events", handle(handlers.postEvents));
  router.post("/sessions/:sessionId/complete", handle(handlers.complete));
  router.get(
    "/sessions/:sessionId",
    handle((_, ctx) => handlers.getState(ctx, false)),
  );
  router.get(
    "/admin/sessions/:sessionId",
    handle((_, ctx) => handlers.getState(ctx, true)),
  );
  router.post("/admin/sessions/:sessionId/resend", handle(handlers.resend));
  return router;
}

export class CloudAgentSession extends DurableObject<Env> {
  private service: SessionService | undefined;
  private readonly clock: AlarmClock;
  private readonly router = buildRouter(
    (handler) => (request) => this.run(request, handler),
  );

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.clock = new AlarmClock(ctx.storage);
  }

  /** The service, built on first use so that a bad config is a clean 500. */
  private sessionService(): SessionService {
    const config: Config = loadConfig(this.env);
    this.service ??= new SessionService(this.ctx.storage, config);
    return this.service;
  }

  private async run(request: IRequest, handler: Handler): Promise<Response> {
    const sessionId = String(request.params.sessionId);
    return handler(request, {
      service: this.sessionService(),
      clock: this.clock,
      sessionId,
    });
  }

  override async fetch(request: Request): Promise<Response> {
    try {
      const response = (await this.router.fetch(request)) as Response | undefined;
      return response ?? notFound(request);
    } catch (error) {
      return handleError(error, request);
    }
  }

  override async alarm(): Promise<void> {
    let service: SessionService;
    try {
      service = this.sessionService();
    } catch (error) {
      // A broken config must not loop the alarm forever; the next request
      // after the fix re-arms it.
      handleError(error, null);
      return;
    }
    await onAlarm(service, this.ctx.storage, this.clock);
  }
}
