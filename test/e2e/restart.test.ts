// A crash between two usage attempts: `wrangler dev` is killed, process
// group and all, and started again on the same storage. The pending
// delivery lives in Durable Object storage, so the report and then the
// callback still arrive. This service has its own vars: the second attempt
// comes 5 s after the first, time enough to kill and restart in between,
// and the gate is long enough to wait for it.
import { expect, it } from "vitest";
import { DELIVERY_WAIT_MS, useRig } from "./harness/rig.ts";
import {
  completeEnvelope,
  footerOf,
  reportBody,
  reviewStream,
} from "./harness/review-stream.ts";
import { waitFor } from "./harness/wait-for.ts";
import { callsFor } from "./harness/web-app-calls.ts";

const SECOND_ATTEMPT_AFTER_MS = 5_000;

const rig = useRig({
  USAGE_GATE_MS: "30000",
  DELIVERY_RETRY_DELAYS_MS: `${SECOND_ATTEMPT_AFTER_MS},300,600,1000`,
});

/** A restart, the alarm, the report and the callback. */
const AFTER_RESTART_WAIT_MS = 40_000;

it("delivers the report and then the callback after a crash between two usage attempts", async () => {
  const { envelopes, usage } = reviewStream(5);
  rig().standIn.injectFaults("usage", [{ status: 500 }]);
  const session = await rig().openSession("crash");
  await session.send([...envelopes, completeEnvelope()]);
  // Once GET shows the failed first attempt, its outcome is durable: the
  // object answers only after its writes are.
  const usageDelivery = await waitFor(
    async () => {
      const { deliveries } = await rig().api.getSession(session.sessionId);
      return deliveries.usage?.lastStatus === 500 && deliveries.usage;
    },
    DELIVERY_WAIT_MS,
    "the first usage attempt to be recorded",
  );
  expect(usageDelivery).toMatchObject({ state: "pending", attempts: 1 });

  await rig().crashService();
  expect(callsFor(rig().standIn, session.reviewId).usage).toHaveLength(1);
  const restartedAtMs = Date.now();
  await rig().restartService();

  const review = await rig().waitForReview(session.reviewId, AFTER_RESTART_WAIT_MS);
  expect(review.footer).toBe(footerOf(usage));
  const view = await rig().waitForSettled(session.sessionId);
  const calls = callsFor(rig().standIn, session.reviewId);
  expect(calls.all.map((call) => [call.kind, call.answeredStatus])).toEqual([
    ["usage", 500],
    ["usage", 200],
    ["status", 200],
  ]);
  expect(calls.usage[1]?.body).toEqual(reportBody(usage));
  expect(calls.usage[1]?.receivedAtMs).toBeGreaterThan(restartedAtMs);
  expect(view.deliveries.usage).toMatchObject({ state: "delivered", attempts: 2 });
  expect(view.deliveries.callback).toMatchObject({ state: "delivered", attempts: 1 });
});
