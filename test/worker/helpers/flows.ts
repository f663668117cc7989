/** Common session flows for delivery tests. */
import type { Registered } from "./api.ts";
import { postEvents, registerSession } from "./api.ts";
import { assistantMessage, complete, stepFinish } from "./envelopes.ts";

/** One message of one step: 1,000 in (incl. cache), 200 out, $0.0123. */
export const ONE_STEP = [
  assistantMessage({
    id: "m1",
    cost: 0.0123,
    tokens: { input: 700, cacheRead: 300, output: 200 },
  }),
  stepFinish({
    id: "p1",
    messageID: "m1",
    cost: 0.0123,
    tokens: { input: 700, cacheRead: 300, output: 200 },
  }),
];

export const ONE_STEP_REPORT = {
  model: "anthropic/claude-sonnet-4.6",
  totalTokensIn: 1000,
  totalTokensOut: 200,
  totalCost: 0.0123,
};

/** Registers a session, records one step of usage and completes it. */
export async function completedSession(
  registration: Record<string, unknown> = {},
): Promise<Registered> {
  const session = await registerSession(registration);
  await postEvents(session, [...ONE_STEP, complete(0, "main")]);
  return session;
}
