/**
 * Measurement 4: from the terminal signal (the `complete` POST returning)
 * to the usage report's arrival at the stand-in, and to the callback's.
 * Sessions run one at a time, so each figure is the service's own delay,
 * not a queue behind other sessions.
 * @module
 */
import type { ArrivalIndex } from "./arrivals.ts";
import type { LatencyFigure } from "./results.ts";
import { runReviewSession } from "./review-session.ts";
import type { CallbackTarget } from "./review-session.ts";
import type { ServiceClient } from "./service-client.ts";
import { spread } from "./stats.ts";

const SESSIONS = 200;
const WARMUP_SESSIONS = 10;
const ENVELOPES_PER_SESSION = 20;
/** A delivery slower than this counts as missing (the first retry is at 2 s). */
const ARRIVAL_TIMEOUT_MS = 15_000;
/** Stop starting sessions after this long; the figures cover those that ran. */
const BUDGET_MS = 90_000;

/** Runs the sessions and reads their arrival times from `arrivals`. */
export async function measureLatency(
  client: ServiceClient,
  arrivals: ArrivalIndex,
  callback: CallbackTarget,
  options: { runId: string; progress: (line: string) => void },
): Promise<LatencyFigure> {
  const { runId, progress } = options;
  progress(`latency: ${WARMUP_SESSIONS} warm-up sessions`);
  for (let i = 0; i < WARMUP_SESSIONS; i++) {
    await runOne(client, arrivals, callback, `bench-lat-warm-${i}-${runId}`);
  }

  progress(`latency: ${SESSIONS} sessions, one at a time`);
  const reviewIds: string[] = [];
  const completedAtMs = new Map<string, number>();
  const deadlineMs = Date.now() + BUDGET_MS;
  for (let i = 0; i < SESSIONS && Date.now() < deadlineMs; i++) {
    const id = `bench-lat-${i}-${runId}`;
    reviewIds.push(id);
    completedAtMs.set(id, await runOne(client, arrivals, callback, id));
  }

  const usageMs: number[] = [];
  const callbackMs: number[] = [];
  for (const id of reviewIds) {
    const { usage, status } = arrivals.get(id);
    const completed = completedAtMs.get(id) ?? 0;
    if (usage[0]) usageMs.push(usage[0].receivedAtMs - completed);
    if (status[0]) callbackMs.push(status[0].receivedAtMs - completed);
  }
  return {
    sessions: reviewIds.length,
    usageMs: spread(usageMs),
    callbackMs: spread(callbackMs),
    usage: arrivals.count(reviewIds, "usage"),
    callback: arrivals.count(reviewIds, "status"),
    callbackBeforeUsage: arrivals.callbackBeforeUsage(reviewIds),
  };
}

/** One session; the session and review share an id. */
async function runOne(
  client: ServiceClient,
  arrivals: ArrivalIndex,
  callback: CallbackTarget,
  id: string,
): Promise<number> {
  const plan = {
    sessionId: id,
    reviewId: id,
    envelopes: ENVELOPES_PER_SESSION,
    envelopesPerRequest: ENVELOPES_PER_SESSION,
  };
  const completedAtMs = await runReviewSession(client, plan, callback);
  await arrivals.waitForAll([id], ARRIVAL_TIMEOUT_MS);
  return completedAtMs;
}
