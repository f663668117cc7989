/**
 * Sends what the outbox has due, one message at a time and in order, and
 * logs each outcome once. Driven by the Durable Object's alarm.
 */
import type { LogFields } from "../log/logger.ts";
import { logEvent } from "../log/logger.ts";
import { redactUrl } from "../util/redact-url.ts";
import type { DeliveryTarget } from "./http-sender.ts";
import { postJson } from "./http-sender.ts";
import type { Delivery, DeliveryQueue, RecordOutcome } from "./queue.ts";

export interface RunnerDeps {
  queue: DeliveryQueue;
  /** Where a message goes, resolved at send time; null if it has nowhere to go. */
  resolveTarget: (delivery: Delivery) => DeliveryTarget | null;
  timeoutMs: number;
  /** Ids for every log line (session, review). */
  logFields: LogFields;
  now: () => number;
}

/*
 * Each round sends what is due; a message released by the previous round
 * (the callback once usage settles) goes in the next. Two kinds need two
 * rounds; the bound only guards against a loop.
 */
const MAX_ROUNDS = 4;

function logOutcome(
  deps: RunnerDeps,
  delivery: Delivery,
  outcome: RecordOutcome,
  extra: LogFields,
) {
  const fields = { ...deps.logFields, attempt: delivery.attempts + 1, ...extra };
  if (outcome.state === "pending") {
    const nextAttemptAt = new Date(outcome.nextAttemptAtMs ?? 0).toISOString();
    logEvent(`${delivery.kind}.retry_scheduled`, { ...fields, nextAttemptAt });
  } else {
    logEvent(`${delivery.kind}.${outcome.state}`, fields);
  }
}

async function attempt(deps: RunnerDeps, delivery: Delivery): Promise<void> {
  const { queue } = deps;
  const startedAtMs = deps.now();
  if (!queue.claim(delivery, startedAtMs)) {
    logEvent(`${delivery.kind}.gave_up`, {
      ...deps.logFields,
      attempt: delivery.attempts,
    });
    return;
  }
  const target = deps.resolveTarget(delivery);
  const result = target
    ? await postJson(target, delivery.body, delivery.idempotencyKey, deps.timeoutMs)
    : { status: undefined, error: "no target configured", durationMs: 0 };
  const targetText = target ? redactUrl(target.url) : "none";
  const outcome = queue.record(delivery, result, {
    target: targetText,
    startedAtMs,
    nowMs: deps.now(),
  });
  const extra = {
    status: result.status,
    error: result.error,
    durationMs: result.durationMs,
  };
  if (outcome) logOutcome(deps, delivery, outcome, extra);
  else logEvent(`${delivery.kind}.superseded`, { ...deps.logFields, ...extra });
}

/** Sends every due message, usage-like dependencies first. */
export async function runDueDeliveries(deps: RunnerDeps): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const due = deps.queue.due(deps.now());
    if (due.length === 0) return;
    for (const delivery of due) await attempt(deps, delivery);
  }
}
