/**
 * What a terminal session sends, and in which order: the usage report
 * first, then the status callback, which waits for the report to settle
 * (or for the gate to expire) so that the web app has the totals before
 * it renders the footer.
 */
import type { Config } from "../env.ts";
import {
  CALLBACK_KIND,
  buildStatusCallback,
  callbackIdempotencyKey,
} from "../callback/status-callback.ts";
import type { Delivery, DeliveryQueue } from "../delivery/queue.ts";
import type { LedgerStore } from "../ledger/ledger-store.ts";
import { computeTotals, hasUsage } from "../ledger/totals.ts";
import {
  USAGE_KIND,
  buildUsageReport,
  serializeUsageReport,
  usageIdempotencyKey,
} from "../usage-reporter/usage-report.ts";
import type { SessionRecord } from "./session-store.ts";

export interface CompletionDeps {
  ledger: LedgerStore;
  queue: DeliveryQueue;
  config: Config;
}

/**
 * Enqueues a usage report when the session's totals differ from the last
 * report: at completion, and again when late events change the ledger.
 * @param force enqueue even when the totals were already reported.
 * @returns the new delivery, or null when there was nothing to report.
 */
export function syncUsageReport(
  deps: CompletionDeps,
  session: SessionRecord,
  nowMs: number,
  force = false,
): Delivery | null {
  if (session.reviewId === null || session.status === "running") return null;
  const totals = computeTotals(deps.ledger.messages(), deps.ledger.stepSums());
  if (!hasUsage(totals)) return null;

  const body = serializeUsageReport(buildUsageReport(totals));
  if (!force && deps.queue.get(USAGE_KIND)?.body === body) return null;
  const idempotencyKey = usageIdempotencyKey(session.sessionId, session.reviewId, body);
  return deps.queue.enqueue(USAGE_KIND, { body, idempotencyKey, nowMs });
}

/**
 * Enqueues the status callback, held until the usage report settles or
 * `gateFromMs + USAGE_GATE_MS` passes.
 */
export function enqueueCallback(
  deps: CompletionDeps,
  session: SessionRecord,
  nowMs: number,
  gateFromMs: number,
): Delivery | null {
  if (session.callbackTarget === null || session.status === "running") return null;

  const body = buildStatusCallback({
    sessionId: session.sessionId,
    executionId: session.executionId,
    status: session.status,
    errorMessage: session.errorMessage,
    lastSeenBranch: session.lastSeenBranch,
    kiloSessionId: session.kiloSessionId ?? deps.ledger.rootAgentSessionId(),
  });
  return deps.queue.enqueue(CALLBACK_KIND, {
    body,
    idempotencyKey: callbackIdempotencyKey(session.sessionId, session.executionId),
    nowMs,
    waitFor: { kind: USAGE_KIND, untilMs: gateFromMs + deps.config.usageGateMs },
  });
}

/** Everything a session sends when it ends, in the transaction that ends it. */
export function enqueueCompletion(
  deps: CompletionDeps,
  session: SessionRecord,
  nowMs: number,
) {
  syncUsageReport(deps, session, nowMs);
  enqueueCallback(deps, session, nowMs, session.completedAtMs ?? nowMs);
}
