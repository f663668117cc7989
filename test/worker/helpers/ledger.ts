/** Reading a session's ledger as its clients see it, for the ledger tests. */
import type { Registered } from "./api.ts";
import { getSession, postEvents } from "./api.ts";
import { fireAlarm } from "./alarms.ts";
import type { StepOptions } from "./envelopes.ts";
import { busEvent, complete } from "./envelopes.ts";
import type { webApp } from "./web-app.ts";

/** The ledger part of `GET /sessions/:id`. */
export async function usageOf(sessionId: string) {
  return (await getSession(sessionId)).usage;
}

/**
 * Completes the session, runs its deliveries and returns the usage
 * reports the web app received so far.
 */
export async function completeAndReport(
  session: Registered,
  web: ReturnType<typeof webApp>,
) {
  await postEvents(session, [complete(0)]);
  await fireAlarm(session.sessionId);
  return web.of("usage").map((received) => received.body);
}

/**
 * A `step-finish` part with raw fields laid over a valid one, to send
 * values that the typed builder cannot express (a string cost, say).
 */
export function rawStep(fields: Record<string, unknown>, base?: StepOptions) {
  return busEvent("message.part.updated", {
    part: {
      id: base?.id ?? "p-raw",
      messageID: base?.messageID ?? "m-raw",
      sessionID: "ses_root",
      type: "step-finish",
      cost: 0,
      tokens: { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } },
      ...fields,
    },
  });
}

/**
 * The exact GET view of a usage with only input, output and cost;
 * `costNanoUsd` must be whole microdollars.
 */
export function plain(input: number, output: number, costNanoUsd: number) {
  return {
    tokensIn: input,
    tokensOut: output,
    input,
    output,
    reasoning: 0,
    cacheRead: 0,
    cacheWrite: 0,
    costUsd: costNanoUsd / 1e9,
    costNanoUsd,
  };
}
