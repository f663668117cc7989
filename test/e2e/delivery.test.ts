// The session service end to end: a real `wrangler dev` reports to the web
// app stand-in over real HTTP, with deliveries sped up through the vars
// (retries after 0.3, 0.6, then 1 s; a 3 s usage gate). One service serves
// every test here; each test has its own sessions and a fresh stand-in.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Fault } from "../../tools/web-app/stand-in.ts";
import { DELIVERY_WAIT_MS, FAST_DELIVERY, useRig } from "./harness/rig.ts";
import {
  addUsage,
  completeEnvelope,
  footerOf,
  lateMessage,
  reportBody,
  reviewStream,
} from "./harness/review-stream.ts";
import type { ExpectedUsage } from "./harness/review-stream.ts";
import {
  answers,
  callsFor,
  isAccepted,
  usageAndStatusPositions,
} from "./harness/web-app-calls.ts";
import { waitFor } from "./harness/wait-for.ts";

const rig = useRig();

const FIXTURES = join(import.meta.dirname, "..", "fixtures");

/** What the recorded review must come to (test/fixtures). */
interface FixtureExpectation {
  model: string;
  totalTokensIn: number;
  totalTokensOut: number;
  totalCost: number;
  footer: string;
  kiloSessionId: string;
  currentBranch: string;
}

/** The usage as the stand-in stores it. */
function storedUsage(usage: ExpectedUsage) {
  return {
    model: usage.model,
    totalTokensIn: usage.totalTokensIn,
    totalTokensOut: usage.totalTokensOut,
    totalCostMicroUsd: usage.costMicroUsd,
  };
}

describe("a completed review", () => {
  it("gets the exact footer, its usage reported before the status callback", async () => {
    const ndjson = await readFile(join(FIXTURES, "review-session.ndjson"), "utf8");
    const expectedPath = join(FIXTURES, "review-session.expected.json");
    const expected = JSON.parse(
      await readFile(expectedPath, "utf8"),
    ) as FixtureExpectation;
    const session = await rig().openSession("footer");

    const posted = await rig().api.postNdjson(session, ndjson);

    expect(posted.status).toBe(202);
    const review = await rig().waitForReview(session.reviewId);
    expect(review.status).toBe("completed");
    expect(review.footer).toBe(expected.footer);
    expect(review.summary?.endsWith(`\n${expected.footer}`)).toBe(true);
    const view = await rig().waitForSettled(session.sessionId);
    const calls = callsFor(rig().standIn, session.reviewId);
    expect(calls.all.map((call) => [call.kind, call.answeredStatus])).toEqual([
      ["usage", 200],
      ["status", 200],
    ]);
    expect(calls.usage[0]?.body).toEqual({
      model: expected.model,
      totalTokensIn: expected.totalTokensIn,
      totalTokensOut: expected.totalTokensOut,
      totalCost: expected.totalCost,
    });
    expect(calls.status[0]?.body).toEqual({
      sessionId: session.sessionId,
      cloudAgentSessionId: session.sessionId,
      executionId: session.sessionId,
      status: "completed",
      lastSeenBranch: expected.currentBranch,
      kiloSessionId: expected.kiloSessionId,
    });
    expect(calls.all.every((call) => call.idempotencyKey !== null)).toBe(true);
    expect(view.deliveries.usage).toMatchObject({ state: "delivered", attempts: 1 });
    expect(view.deliveries.callback).toMatchObject({ state: "delivered", attempts: 1 });
  });
});

describe("usage delivery", () => {
  it("retries a usage endpoint that answers 500 twice, then reports before the callback", async () => {
    const { envelopes, usage } = reviewStream(2);
    rig().standIn.injectFaults("usage", [{ status: 500 }, { status: 500 }]);
    const session = await rig().openSession("usage-500");

    await session.send([...envelopes, completeEnvelope()]);

    const review = await rig().waitForReview(session.reviewId);
    expect(review.footer).toBe(footerOf(usage));
    const view = await rig().waitForSettled(session.sessionId);
    const calls = callsFor(rig().standIn, session.reviewId);
    expect(calls.all.map((call) => [call.kind, call.answeredStatus])).toEqual([
      ["usage", 500],
      ["usage", 500],
      ["usage", 200],
      ["status", 200],
    ]);
    expect(calls.usage.map((call) => call.body)).toEqual(
      Array.from({ length: 3 }, () => reportBody(usage)),
    );
    const keys = new Set(calls.usage.map((call) => call.idempotencyKey));
    expect([...keys]).toEqual([expect.stringMatching(/\S/)]);
    expect(view.deliveries.usage).toMatchObject({ state: "delivered", attempts: 3 });
  });

  it("waits as long as a 429's Retry-After asks before the next attempt", async () => {
    const retryAfterS = 2;
    const { envelopes, usage } = reviewStream(3);
    const tooManyRequests: Fault = {
      status: 429,
      headers: { "retry-after": String(retryAfterS) },
    };
    rig().standIn.injectFaults("usage", [tooManyRequests]);
    const session = await rig().openSession("usage-429");

    await session.send([...envelopes, completeEnvelope()]);

    const review = await rig().waitForReview(session.reviewId);
    const calls = callsFor(rig().standIn, session.reviewId);
    expect(answers(calls.usage)).toEqual([429, 200]);
    const [first, second] = calls.usage;
    // Without the header the next attempt would come after 0.3 s (+-20 %).
    const gapMs = (second?.receivedAtMs ?? 0) - (first?.receivedAtMs ?? 0);
    expect(gapMs).toBeGreaterThanOrEqual(retryAfterS * 1_000 - 50);
    expect(review.footer).toBe(footerOf(usage));
    const positions = usageAndStatusPositions(calls);
    expect(positions.usage).toBeLessThan(positions.status);
  });

  it("sends the callback without usage after the gate, and the report once the endpoint is back", async () => {
    const { envelopes, usage } = reviewStream(4);
    rig().standIn.setUnreachable("usage", true);
    const session = await rig().openSession("usage-down");
    const completedAtMs = Date.now();

    await session.send([...envelopes, completeEnvelope()]);

    const review = await rig().waitForReview(session.reviewId);
    expect(review.status).toBe("completed");
    expect(review.footer).toBeNull();
    const whileDown = callsFor(rig().standIn, session.reviewId);
    expect(whileDown.usage.length).toBeGreaterThanOrEqual(2);
    expect(whileDown.usage.some(isAccepted)).toBe(false);
    const statusAtMs = whileDown.status[0]?.receivedAtMs ?? 0;
    // The gate runs from completion, which came after `completedAtMs`.
    expect(statusAtMs - completedAtMs).toBeGreaterThanOrEqual(
      FAST_DELIVERY.usageGateMs - 50,
    );

    rig().standIn.setUnreachable("usage", false);

    const report = await waitFor(
      () => callsFor(rig().standIn, session.reviewId).usage.find(isAccepted),
      DELIVERY_WAIT_MS,
      "the usage report once the endpoint is back",
    );
    expect(report.body).toEqual(reportBody(usage));
    expect(rig().standIn.getReview(session.reviewId)).toMatchObject({
      usage: storedUsage(usage),
      footer: null,
    });
    const view = await rig().waitForSettled(session.sessionId);
    expect(view.deliveries.usage?.state).toBe("delivered");
    const calls = callsFor(rig().standIn, session.reviewId);
    expect(calls.usage.filter(isAccepted)).toHaveLength(1);
    expect(answers(calls.status)).toEqual([200]);
  });
});

describe("status callback", () => {
  it("retries a callback endpoint that answers 500, and delivers it once", async () => {
    const { envelopes, usage } = reviewStream(6);
    rig().standIn.injectFaults("status", [{ status: 500 }]);
    const session = await rig().openSession("status-500");

    await session.send([...envelopes, completeEnvelope()]);

    const view = await rig().waitForSettled(session.sessionId);
    const calls = callsFor(rig().standIn, session.reviewId);
    expect(calls.all.map((call) => [call.kind, call.answeredStatus])).toEqual([
      ["usage", 200],
      ["status", 500],
      ["status", 200],
    ]);
    expect(calls.status[1]?.idempotencyKey).toBe(calls.status[0]?.idempotencyKey);
    expect(view.deliveries.callback).toMatchObject({ state: "delivered", attempts: 2 });
    expect(rig().standIn.getReview(session.reviewId)?.footer).toBe(footerOf(usage));
  });

  it("arrives for a session without a reviewId, with no usage request", async () => {
    const { envelopes } = reviewStream(7);
    const session = await rig().openSession("no-review", false);

    await session.send([...envelopes, completeEnvelope()]);

    const review = await rig().waitForReview(session.reviewId);
    expect(review).toMatchObject({ status: "completed", footer: null, usage: {} });
    const view = await rig().waitForSettled(session.sessionId);
    expect(view.deliveries.usage).toBeNull();
    expect(view.deliveries.callback?.state).toBe("delivered");
    const kinds = rig().standIn.requests.map((call) => [call.kind, call.answeredStatus]);
    expect(kinds).toEqual([["status", 200]]);
  });
});

describe("after delivery", () => {
  it("sends the same totals again on an admin re-send of usage", async () => {
    const { envelopes, usage } = reviewStream(8);
    const session = await rig().openSession("resend");
    await session.send([...envelopes, completeEnvelope()]);
    await rig().waitForSettled(session.sessionId);

    const resent = await rig().api.resend(session.sessionId, "usage");

    expect(resent.status).toBe(202);
    const view = await rig().waitForSettled(session.sessionId);
    const calls = callsFor(rig().standIn, session.reviewId);
    expect(calls.all.map((call) => [call.kind, call.answeredStatus])).toEqual([
      ["usage", 200],
      ["status", 200],
      ["usage", 200],
    ]);
    const [first, again] = calls.usage;
    expect(again?.body).toEqual(reportBody(usage));
    expect(again?.body).toEqual(first?.body);
    expect(again?.idempotencyKey).toBe(first?.idempotencyKey);
    expect(view.deliveries.usage?.state).toBe("delivered");
  });

  it("reports amended totals when usage events arrive after completion", async () => {
    const { envelopes, usage } = reviewStream(9);
    const late = lateMessage(9);
    const amended = addUsage(usage, late.usage);
    const session = await rig().openSession("late");
    await session.send([...envelopes, completeEnvelope()]);
    await rig().waitForSettled(session.sessionId);

    await session.send(late.envelopes);

    const report = await waitFor(
      () => callsFor(rig().standIn, session.reviewId).usage.filter(isAccepted)[1],
      DELIVERY_WAIT_MS,
      "the amended usage report",
    );
    expect(report.body).toEqual(reportBody(amended));
    const calls = callsFor(rig().standIn, session.reviewId);
    expect(calls.usage[0]?.body).toEqual(reportBody(usage));
    expect(report.idempotencyKey).not.toBe(calls.usage[0]?.idempotencyKey);
    // The web app stores the new totals; the footer, written at status
    // time, stays as it was.
    expect(rig().standIn.getReview(session.reviewId)).toMatchObject({
      usage: storedUsage(amended),
      footer: footerOf(usage),
    });
    await rig().waitForSettled(session.sessionId);
    expect(answers(callsFor(rig().standIn, session.reviewId).status)).toEqual([200]);
  });
});

describe("many sessions at once", () => {
  const SESSIONS = 50;
  const FAILURES: Fault[] = [
    { status: 500 },
    { status: 503 },
    "drop",
    { status: 429, headers: { "retry-after": "1" } },
    { status: 502 },
    { status: 500 },
    "drop",
    { status: 504 },
    { status: 500 },
    { status: 500 },
  ];

  it("gives fifty reviews their own footer, losing no report or callback", async () => {
    rig().standIn.injectFaults("usage", FAILURES);
    const streams = Array.from({ length: SESSIONS }, (_, i) =>
      reviewStream(100 + i * 37),
    );
    const sessions = await Promise.all(
      streams.map((_, i) => rig().openSession(`fifty-${i}`)),
    );

    await Promise.all(
      sessions.map((session, i) =>
        session.send([...(streams[i]?.envelopes ?? []), completeEnvelope()]),
      ),
    );

    // Poll the stand-in's memory first, not fifty sessions over HTTP.
    await waitFor(
      () =>
        sessions.every((s) => rig().standIn.getReview(s.reviewId)?.status !== "running"),
      60_000,
      "every review to get its status callback",
    );
    await Promise.all(sessions.map((s) => rig().waitForSettled(s.sessionId)));
    const outcomes = sessions.map((session) => {
      const calls = callsFor(rig().standIn, session.reviewId);
      const delivered = calls.usage.filter(isAccepted);
      const positions = usageAndStatusPositions(calls);
      return {
        footer: rig().standIn.getReview(session.reviewId)?.footer,
        reports: delivered.map((call) => call.body),
        callbacks: answers(calls.status),
        usageFirst: positions.usage < positions.status,
      };
    });
    expect(outcomes).toEqual(
      streams.map(({ usage }) => ({
        footer: footerOf(usage),
        reports: [reportBody(usage)],
        callbacks: [200],
        usageFirst: true,
      })),
    );
    const failed = rig().standIn.requests.filter(
      (call) => call.kind === "usage" && !isAccepted(call),
    );
    expect(failed).toHaveLength(FAILURES.length);
  });
});
