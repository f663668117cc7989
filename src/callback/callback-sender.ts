/**
 * Puts the status callback in the outbox, held behind the usage report:
 * the web app renders the footer from usage it already stored when the
 * callback arrives, so the callback waits for the report to settle, or for
 * the gate to expire.
 */
import type { Delivery, DeliveryQueue } from "../delivery/queue.ts";
import type { LedgerStore } from "../ledger/ledger-store.ts";
import type { SessionRecord } from "../session/session-store.ts";
import { USAGE_KIND } from "../usage-reporter/usage-report.ts";
import {
  CALLBACK_KIND,
  buildStatusCallback,
  callbackIdempotencyKey,
} from "./status-callback.ts";

export interface CallbackDeps {
  ledger: LedgerStore;
  queue: DeliveryQueue;
  usageGateMs: number;
}

/**
 * Enqueues the status callback of a terminal session with a callback
 * target, held until usage settles or `gateFromMs + usageGateMs`.
 * @returns the new delivery, or null when there is nothing to send.
 */
export function enqueueCallback(
  deps: CallbackDeps,
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
    waitFor: { kind: USAGE_KIND, untilMs: gateFromMs + deps.usageGateMs },
  });
}
