/**
 * What the alarm does: ends a session that went silent, sends due
 * deliveries, deletes a settled session after its retention, and re-arms
 * itself for the earliest of those that remain.
 */
import type { Delivery } from "../delivery/queue.ts";
import type { DeliveryTarget } from "../delivery/http-sender.ts";
import { runDueDeliveries } from "../delivery/runner.ts";
import { CALLBACK_KIND } from "../callback/status-callback.ts";
import { logEvent } from "../log/logger.ts";
import { USAGE_KIND } from "../usage-reporter/usage-report.ts";
import { usageTarget } from "../usage-reporter/usage-reporter.ts";
import type { AlarmClock } from "./alarm-clock.ts";
import type { SessionService } from "./session-service.ts";
import { activityStepMs } from "./session-service.ts";
import type { SessionRecord } from "./session-store.ts";

/** After an unexpected error in the alarm, try again this much later. */
const ALARM_ERROR_BACKOFF_MS = 30_000;

/**
 * When silence ends the session. Activity is stored coarsely, so the true
 * last event may be up to one step later than stored: wait that step too.
 */
function staleAtMs(service: SessionService, session: SessionRecord): number {
  return (
    session.lastActivityMs + activityStepMs(service.config) + service.config.staleAfterMs
  );
}

function retentionEndsAtMs(service: SessionService, session: SessionRecord) {
  if (session.completedAtMs === null || !service.queue.allSettled()) return null;
  return session.completedAtMs + service.config.retentionMs;
}

/** When the alarm must next fire for this session, or null for never. */
export function nextWakeMs(service: SessionService): number | null {
  const session = service.sessions.get();
  if (!session) return null;
  if (session.status === "running") return staleAtMs(service, session);

  return service.queue.nextWakeMs() ?? retentionEndsAtMs(service, session);
}

function targetFor(service: SessionService, session: SessionRecord) {
  return (delivery: Delivery): DeliveryTarget | null => {
    if (delivery.kind === USAGE_KIND && session.reviewId !== null) {
      return usageTarget(service.config, session.reviewId);
    }
    if (delivery.kind === CALLBACK_KIND) return session.callbackTarget;
    return null;
  };
}

function endIfSilent(service: SessionService, session: SessionRecord, nowMs: number) {
  if (session.status !== "running" || nowMs < staleAtMs(service, session)) return;

  const silentS = Math.round((nowMs - session.lastActivityMs) / 1000);
  logEvent("session.stale", { ...service.logFields(session), silentS });
  service.complete(
    {
      status: "failed",
      errorMessage: `the agent went silent: no event for ${silentS} s`,
    },
    nowMs,
  );
}

async function deleteIfExpired(
  service: SessionService,
  storage: DurableObjectStorage,
  nowMs: number,
): Promise<boolean> {
  const session = service.sessions.get();
  const endsAtMs = session ? retentionEndsAtMs(service, session) : null;
  if (endsAtMs === null || nowMs < endsAtMs) return false;

  await storage.deleteAll();
  await storage.deleteAlarm();
  // Fresh empty tables: a re-registration of this id starts anew.
  service.migrate();
  logEvent("session.deleted", service.logFields(session));
  return true;
}

async function runOnce(service: SessionService, storage: DurableObjectStorage) {
  const session = service.sessions.get();
  if (!session) return;
  endIfSilent(service, session, Date.now());

  const current = service.require();
  await runDueDeliveries({
    queue: service.queue,
    resolveTarget: targetFor(service, current),
    timeoutMs: service.config.deliveryTimeoutMs,
    logFields: service.logFields(current),
    now: Date.now,
  });
  await deleteIfExpired(service, storage, Date.now());
}

/**
 * The alarm handler. It never throws: the platform retries a throwing
 * alarm only a few times, so errors are logged and the alarm re-armed.
 */
export async function onAlarm(
  service: SessionService,
  storage: DurableObjectStorage,
  clock: AlarmClock,
): Promise<void> {
  clock.fired();
  try {
    await runOnce(service, storage);
    await clock.set(nextWakeMs(service));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logEvent("alarm.error", { ...service.logFields(), error: message });
    await clock.set(Date.now() + ALARM_ERROR_BACKOFF_MS);
  }
}
