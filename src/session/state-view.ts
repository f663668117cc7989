/**
 * The session as `GET` shows it: status, ledger totals and delivery
 * states. Callback header values are never shown, only their names.
 */
import type { AttemptRecord } from "../delivery/attempt-log.ts";
import type { Delivery } from "../delivery/queue.ts";
import type { LedgerTotals, ModelUsage } from "../ledger/totals.ts";
import { computeTotals } from "../ledger/totals.ts";
import type { Usage } from "../ledger/usage.ts";
import { nanoUsdToUsd, tokensIn, tokensOut } from "../ledger/usage.ts";
import { redactUrl } from "../util/redact-url.ts";
import type { SessionService } from "./session-service.ts";

function iso(timeMs: number | null): string | null {
  return timeMs === null ? null : new Date(timeMs).toISOString();
}

function usageView(usage: Usage) {
  const t = usage.tokens;
  return {
    tokensIn: tokensIn(t),
    tokensOut: tokensOut(t),
    input: t.input,
    output: t.output,
    reasoning: t.reasoning,
    cacheRead: t.cacheRead,
    cacheWrite: t.cacheWrite,
    costUsd: nanoUsdToUsd(usage.costNanoUsd),
    costNanoUsd: usage.costNanoUsd,
  };
}

function modelView(usage: ModelUsage) {
  return {
    model: usage.model,
    messages: usage.messages,
    steps: usage.steps,
    ...usageView(usage),
  };
}

function ledgerView(totals: LedgerTotals) {
  return {
    model: totals.model,
    messages: totals.messages,
    steps: totals.steps,
    totals: usageView(totals.total),
    byModel: totals.byModel.map(modelView),
  };
}

function deliveryView(delivery: Delivery | undefined) {
  if (!delivery) return null;
  return {
    state: delivery.state,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.state === "pending" ? iso(delivery.nextAttemptAtMs) : null,
    waitingFor: delivery.waitFor,
    waitUntil: iso(delivery.waitUntilMs),
    createdAt: iso(delivery.createdAtMs),
    settledAt: iso(delivery.settledAtMs),
    lastStatus: delivery.lastStatus,
    lastError: delivery.lastError,
    idempotencyKey: delivery.idempotencyKey,
  };
}

function attemptView(attempt: AttemptRecord) {
  return {
    kind: attempt.kind,
    attempt: attempt.attempt,
    generation: attempt.generation,
    startedAt: iso(attempt.startedAtMs),
    target: attempt.target,
    status: attempt.status,
    error: attempt.error,
    durationMs: attempt.durationMs,
    verdict: attempt.verdict,
  };
}

/** The JSON view of the session; `admin` adds the attempt log and payloads. */
export function sessionView(service: SessionService, admin: boolean) {
  const session = service.require();
  const totals = computeTotals(service.ledger.messages(), service.ledger.stepSums());
  const deliveries = new Map(service.queue.list().map((d) => [d.kind, d]));
  const target = session.callbackTarget;
  const view = {
    sessionId: session.sessionId,
    reviewId: session.reviewId,
    executionId: session.executionId,
    kiloSessionId: session.kiloSessionId,
    status: session.status,
    errorMessage: session.errorMessage,
    lastSeenBranch: session.lastSeenBranch,
    createdAt: iso(session.createdAtMs),
    completedAt: iso(session.completedAtMs),
    lastActivityAt: iso(session.lastActivityMs),
    callbackTarget: target
      ? { url: redactUrl(target.url), headerNames: Object.keys(target.headers) }
      : null,
    usage: ledgerView(totals),
    deliveries: {
      usage: deliveryView(deliveries.get("usage")),
      callback: deliveryView(deliveries.get("callback")),
    },
  };
  if (!admin) return view;
  return {
    ...view,
    payloads: Object.fromEntries(
      [...deliveries].map(([kind, d]) => [kind, JSON.parse(d.body)]),
    ),
    attempts: service.queue.attempts().map(attemptView),
  };
}
