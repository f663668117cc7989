/**
 * Measurement 5: a thousand review sessions of fifty envelopes each,
 * ingested and completed with bounded concurrency, then a count of what
 * reached the stand-in: every usage report and callback exactly once.
 * @module
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ArrivalIndex } from "./arrivals.ts";
import { runPool } from "./pool.ts";
import type { FleetFigure } from "./results.ts";
import { runReviewSession } from "./review-session.ts";
import type { CallbackTarget } from "./review-session.ts";
import type { ServiceClient } from "./service-client.ts";
import { spread } from "./stats.ts";

/** Sessions in the run; the delivery target counts them. */
export const FLEET_SESSIONS = 1_000;
const ENVELOPES_PER_SESSION = 50;
const ENVELOPES_PER_REQUEST = 10;
const CONCURRENCY = 50;
/** Stop starting sessions after this long; the count covers those that ran. */
const INGEST_BUDGET_MS = 150_000;
/** How long deliveries may take to drain after the last completion. */
const DRAIN_TIMEOUT_MS = 60_000;
/**
 * After everything arrived, keep listening this long for a second copy.
 * Longer than the first retry delay (2 s), so a needless retry shows.
 */
const DUPLICATE_WINDOW_MS = 4_000;

/** Runs the fleet and counts its deliveries. */
export async function measureFleet(
  client: ServiceClient,
  arrivals: ArrivalIndex,
  callback: CallbackTarget,
  options: { runId: string; progress: (line: string) => void },
): Promise<FleetFigure> {
  const { runId, progress } = options;
  progress(
    `fleet: ${FLEET_SESSIONS} sessions x ${ENVELOPES_PER_SESSION} envelopes, ` +
      `${CONCURRENCY} in flight`,
  );
  const ids = Array.from(
    { length: FLEET_SESSIONS },
    (_, i) => `bench-fleet-${i}-${runId}`,
  );
  const completedAtMs = new Map<string, number>();
  const startMs = Date.now();
  const plan = (id: string) => ({
    sessionId: id,
    reviewId: id,
    envelopes: ENVELOPES_PER_SESSION,
    envelopesPerRequest: ENVELOPES_PER_REQUEST,
  });
  const started = await runPool(
    ids,
    CONCURRENCY,
    async (id) => {
      completedAtMs.set(id, await runReviewSession(client, plan(id), callback));
    },
    () => Date.now() - startMs > INGEST_BUDGET_MS,
  );
  const ingestMs = Date.now() - startMs;
  const ran = ids.slice(0, started);

  progress(
    `fleet: all ${ran.length} completed in ${ingestMs} ms; waiting for deliveries`,
  );
  await arrivals.waitForAll(ran, DRAIN_TIMEOUT_MS);
  const lastArrivalMs = Math.max(
    ...ran.flatMap((id) => {
      const { usage, status } = arrivals.get(id);
      return [...usage, ...status].map((r) => r.receivedAtMs);
    }),
    startMs,
  );
  await sleep(DUPLICATE_WINDOW_MS);

  return {
    sessions: ran.length,
    envelopesPerSession: ENVELOPES_PER_SESSION,
    envelopesPerRequest: ENVELOPES_PER_REQUEST,
    concurrency: CONCURRENCY,
    wallMs: lastArrivalMs - startMs,
    ingestMs,
    ...arrivalSpreads(arrivals, ran, completedAtMs),
    usage: arrivals.count(ran, "usage"),
    callback: arrivals.count(ran, "status"),
    callbackBeforeUsage: arrivals.callbackBeforeUsage(ran),
    duplicateWindowMs: DUPLICATE_WINDOW_MS,
  };
}

function arrivalSpreads(
  arrivals: ArrivalIndex,
  ids: readonly string[],
  completedAtMs: ReadonlyMap<string, number>,
) {
  const usageMs: number[] = [];
  const callbackMs: number[] = [];
  for (const id of ids) {
    const completed = completedAtMs.get(id) ?? 0;
    const { usage, status } = arrivals.get(id);
    if (usage[0]) usageMs.push(usage[0].receivedAtMs - completed);
    if (status[0]) callbackMs.push(status[0].receivedAtMs - completed);
  }
  return { usageMs: spread(usageMs), callbackMs: spread(callbackMs) };
}
