/**
 * The Durable Object's HTTP handlers. Auth was checked by the Worker; here
 * each handler reads its body, calls the session service, and schedules
 * the alarm for what it changed.
 */
import * as v from "valibot";
import { readBody, readCappedText } from "../http/body.ts";
import { ingestToken } from "../http/auth.ts";
import { validate } from "../http/validate.ts";
import { logEvent } from "../log/logger.ts";
import type { AlarmClock } from "./alarm-clock.ts";
import { parseBatch } from "./ingest-batch.ts";
import { nextWakeMs } from "./lifecycle.ts";
import { RegistrationSchema } from "./registration.ts";
import type { SessionService } from "./session-service.ts";
import { sessionView } from "./state-view.ts";

const MAX_ERROR_MESSAGE_LENGTH = 2_000;

const CompleteSchema = v.strictObject({
  status: v.picklist(["completed", "failed", "interrupted"]),
  errorMessage: v.optional(v.pipe(v.string(), v.maxLength(MAX_ERROR_MESSAGE_LENGTH))),
  lastSeenBranch: v.optional(v.pipe(v.string(), v.maxLength(512))),
});

const ResendSchema = v.strictObject({ what: v.picklist(["usage", "callback", "all"]) });

export interface HandlerContext {
  service: SessionService;
  clock: AlarmClock;
  sessionId: string;
  state: DurableObjectState;
}

/** Moves the alarm earlier if what just changed needs it sooner. */
export async function scheduleAlarm({ service, clock }: HandlerContext) {
  const wakeMs = nextWakeMs(service);
  if (wakeMs !== null) await clock.fireBy(wakeMs);
}

export async function register(request: Request, ctx: HandlerContext) {
  const body = validate(
    RegistrationSchema,
    await readBody(request, { allowEmpty: true }),
  );
  const created = ctx.service.register(ctx.sessionId, body, Date.now());
  await scheduleAlarm(ctx);
  if (created) {
    const hasCallback = body.callbackTarget !== undefined;
    logEvent("session.registered", { ...ctx.service.logFields(), hasCallback });
  }
  const token = await ingestToken(ctx.service.config.sessionApiSecret, ctx.sessionId);
  return Response.json(
    { sessionId: ctx.sessionId, ingestToken: token },
    {
      status: created ? 201 : 200,
    },
  );
}

/** Applies a parsed batch and schedules what it enqueued. */
export async function ingestEnvelopes(envelopes: unknown, ctx: HandlerContext) {
  ctx.service.require();
  const result = ctx.service.ingest(parseBatch(envelopes), Date.now());
  await scheduleAlarm(ctx);
  return result;
}

export async function postEvents(request: Request, ctx: HandlerContext) {
  ctx.service.require();
  const envelopes = await readBody(request, { allowNdjson: true });
  return Response.json(await ingestEnvelopes(envelopes, ctx), { status: 202 });
}

export async function complete(request: Request, ctx: HandlerContext) {
  ctx.service.require();
  const signal = validate(CompleteSchema, await readBody(request));
  const ended = ctx.service.complete(signal, Date.now());
  await scheduleAlarm(ctx);
  const status = ctx.service.require().status;
  return Response.json(
    { sessionId: ctx.sessionId, status, ended },
    { status: ended ? 202 : 200 },
  );
}

export async function resend(request: Request, ctx: HandlerContext) {
  ctx.service.require();
  const { what } = validate(ResendSchema, await readBody(request));
  ctx.service.resend(what, Date.now());
  await scheduleAlarm(ctx);
  const { deliveries } = sessionView(ctx.service, false);
  return Response.json({ sessionId: ctx.sessionId, deliveries }, { status: 202 });
}

/**
 * The benchmark's floor: the same request reaches the same object, and the
 * body is read but neither parsed nor stored.
 */
export async function postEventsFloor(request: Request) {
  await readCappedText(request);
  return Response.json({ accepted: 0, ignored: 0 }, { status: 202 });
}

/** Counters for the benchmark. */
export function getStats(ctx: HandlerContext) {
  return Response.json({ rowsWritten: ctx.service.rows.rowsWritten });
}

export function getState(ctx: HandlerContext, admin: boolean) {
  return Response.json(sessionView(ctx.service, admin));
}
