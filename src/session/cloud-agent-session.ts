/**
 * The `CloudAgentSession` Durable Object: one per agent session. A thin
 * shell that wires storage, fetch, WebSocket and alarm to the session
 * modules.
 */
import { DurableObject } from "cloudflare:workers";
import type { IRequest } from "itty-router";
import { Router } from "itty-router";
import { loadConfig } from "../env.ts";
import { answerFailedRequest, handleError, notFound } from "../http/respond.ts";
import { AlarmClock } from "./alarm-clock.ts";
import type { HandlerContext } from "./handlers.ts";
import * as handlers from "./handlers.ts";
import { onAlarm } from "./lifecycle.ts";
import { SessionService } from "./session-service.ts";
import { FLOOR_TAG, acceptSocket, onSocketMessage } from "./socket-ingest.ts";

/** How soon an alarm that met a broken configuration tries again. */
const MISCONFIGURED_RETRY_MS = 5 * 60_000;

type Handler = (request: IRequest, ctx: HandlerContext) => Promise<Response> | Response;
type Bind = (handler: Handler) => (request: IRequest) => Promise<Response>;

/** Routes as the Worker forwards them, after it checked auth. */
function buildRouter(bind: Bind) {
  const router = Router();
  router.put("/sessions/:sessionId", bind(handlers.register));
  router.post("/sessions/:sessionId/events", bind(handlers.postEvents));
  router.get(
    "/sessions/:sessionId/ingest",
    bind((r, ctx) => acceptSocket(r, ctx)),
  );
  router.post("/sessions/:sessionId/complete", bind(handlers.complete));
  router.get(
    "/sessions/:sessionId",
    bind((_, ctx) => handlers.getState(ctx, false)),
  );
  router.get(
    "/admin/sessions/:sessionId",
    bind((_, ctx) => handlers.getState(ctx, true)),
  );
  router.post("/admin/sessions/:sessionId/resend", bind(handlers.resend));
  // Reached only when the Worker has bench routes enabled.
  router.post("/bench/sessions/:sessionId/events-floor", bind(handlers.postEventsFloor));
  router.get(
    "/bench/sessions/:sessionId/ingest-floor",
    bind((r, ctx) => acceptSocket(r, ctx, [FLOOR_TAG])),
  );
  router.get(
    "/bench/sessions/:sessionId/stats",
    bind((_, ctx) => handlers.getStats(ctx)),
  );
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
  private context(sessionId: string): HandlerContext {
    this.service ??= new SessionService(this.ctx.storage, loadConfig(this.env));
    return { service: this.service, clock: this.clock, sessionId, state: this.ctx };
  }

  /** Sockets and alarms carry no path: the id comes from storage. */
  private storedSessionId(): string {
    return this.context("").service.sessions.get()?.sessionId ?? "";
  }

  private async run(request: IRequest, handler: Handler): Promise<Response> {
    return handler(request, this.context(String(request.params.sessionId)));
  }

  override async fetch(request: Request): Promise<Response> {
    try {
      const response = (await this.router.fetch(request)) as Response | undefined;
      return response ?? notFound(request);
    } catch (error) {
      return answerFailedRequest(error, request);
    }
  }

  override async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer) {
    if (this.ctx.getTags(socket).includes(FLOOR_TAG)) {
      socket.send('{"type":"ack","accepted":0,"ignored":0}');
      return;
    }
    await onSocketMessage(socket, message, this.context(this.storedSessionId()));
  }

  override webSocketClose(socket: WebSocket, code: number): void {
    // Echo the close so the agent's side completes its handshake.
    socket.close(code === 1005 ? 1000 : code, "closing");
  }

  override async alarm(): Promise<void> {
    let context: HandlerContext;
    try {
      context = this.context(this.storedSessionId());
    } catch (error) {
      // A broken config is logged and retried a few minutes later, so that
      // pending deliveries resume on their own once it is fixed.
      handleError(error, null);
      await this.ctx.storage.setAlarm(Date.now() + MISCONFIGURED_RETRY_MS);
      return;
    }
    await onAlarm(context.service, this.ctx.storage, this.clock);
  }
}
