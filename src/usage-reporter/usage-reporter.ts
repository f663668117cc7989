/**
 * The UsageReporter: decides when a session's totals must be pushed to the
 * web app, and puts the report in the outbox. The outbox delivers it.
 */
import type { Config } from "../env.ts";
import type { DeliveryTarget } from "../delivery/http-sender.ts";
import type { Delivery, DeliveryQueue } from "../delivery/queue.ts";
import type { LedgerStore } from "../ledger/ledger-store.ts";
import { computeTotals, hasUsage } from "../ledger/totals.ts";
import type { SessionRecord } from "../session/session-store.ts";
import {
  USAGE_KIND,
  buildUsageReport,
  serializeUsageReport,
  usageIdempotencyKey,
  usageReportUrl,
} from "./usage-report.ts";

/**
 * Where a review's usage goes and how it authenticates: the web app's
 * endpoint under `API_URL`, with the shared secret as the raw
 * `X-Internal-Secret` header (not a bearer token).
 */
export function usageTarget(config: Config, reviewId: string): DeliveryTarget {
  return {
    url: usageReportUrl(config.apiUrl, reviewId),
    headers: { "x-internal-secret": config.internalApiSecret },
  };
}

export interface ReporterDeps {
  ledger: LedgerStore;
  queue: DeliveryQueue;
}

/**
 * Enqueues a usage report when the session's totals differ from the last
 * report: at completion, and again when late events change the ledger.
 * Nothing is reported for a running session, one without a reviewId, or
 * one that recorded no usage at all.
 * @param force enqueue even when these totals were already reported (resend).
 * @returns the new delivery, or null when there was nothing to report.
 */
export function syncUsageReport(
  deps: ReporterDeps,
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
