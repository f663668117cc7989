import { describe, expect, it } from "vitest";
import {
  ADMIN_SECRET,
  callJson,
  getSession,
  postEvents,
  registerSession,
} from "./helpers/api.ts";
import { advanceAndFire, fireAlarm } from "./helpers/alarms.ts";
import { assistantMessage, complete, stepFinish } from "./helpers/envelopes.ts";
import { ONE_STEP, ONE_STEP_REPORT, completedSession } from "./helpers/flows.ts";
import { webApp } from "./helpers/web-app.ts";

function resend(sessionId: string, what: string) {
  return callJson("POST", `/admin/sessions/${sessionId}/resend`, {
    token: ADMIN_SECRET,
    body: { what },
  });
}

describe("admin resend", () => {
  it("sends the same totals again after delivery", async () => {
    const web = webApp();
    const { sessionId } = await completedSession();
    await fireAlarm(sessionId);

    const { status } = await resend(sessionId, "usage");
    expect(status).toBe(202);
    await fireAlarm(sessionId);

    const usage = web.of("usage");
    expect(usage).toHaveLength(2);
    expect(usage[1]?.body).toEqual(ONE_STEP_REPORT);
    expect(usage[1]?.headers["idempotency-key"]).toBe(
      usage[0]?.headers["idempotency-key"],
    );
    expect(web.of("callback")).toHaveLength(1);
  });

  it("gives a delivery that failed for good a fresh schedule", async () => {
    const web = webApp({ usage: [400] });
    const { sessionId } = await completedSession();
    await fireAlarm(sessionId);
    expect((await getSession(sessionId)).deliveries.usage?.state).toBe("failed");

    const { body } = await resend(sessionId, "usage");
    expect(body).toMatchObject({
      deliveries: { usage: { state: "pending", attempts: 0 } },
    });
    await fireAlarm(sessionId);

    expect((await getSession(sessionId)).deliveries.usage).toMatchObject({
      state: "delivered",
      attempts: 1,
    });
    expect(web.of("usage")).toHaveLength(2);
  });

  it("re-sends usage then the callback for all", async () => {
    const web = webApp();
    const { sessionId } = await completedSession();
    await fireAlarm(sessionId);

    await resend(sessionId, "all");
    await fireAlarm(sessionId);

    expect(web.received.map((r) => r.kind)).toEqual([
      "usage",
      "callback",
      "usage",
      "callback",
    ]);
  });

  it("replaces a pending delivery instead of adding one", async () => {
    const web = webApp({ usage: [500] });
    const { sessionId } = await completedSession({ callbackTarget: undefined });
    await fireAlarm(sessionId);

    await resend(sessionId, "usage");
    await fireAlarm(sessionId);
    await advanceAndFire(sessionId, 24 * 3_600_000);

    expect(web.of("usage")).toHaveLength(2);
    expect((await getSession(sessionId)).deliveries.usage?.state).toBe("delivered");
  });

  it("keeps an attempt log with status and verdict", async () => {
    webApp({ usage: [503] });
    const { sessionId } = await completedSession();
    await fireAlarm(sessionId);
    await advanceAndFire(sessionId, 3_000);

    const attempts = (await getSession(sessionId, true)).attempts ?? [];
    expect(attempts.map((a) => [a.kind, a.attempt, a.status, a.verdict])).toEqual([
      ["usage", 1, 503, "retry"],
      ["usage", 2, 200, "delivered"],
      ["callback", 1, 200, "delivered"],
    ]);
    expect(attempts[0]?.target).toMatch(
      /^https:\/\/web\.test\/api\/internal\/code-review-usage\//,
    );
  });
});

describe("usage that changes after completion", () => {
  it("sends an amended report when late usage arrives", async () => {
    const web = webApp();
    const { sessionId, ingestToken } = await completedSession();
    await fireAlarm(sessionId);

    const late = [
      assistantMessage({ id: "m2", cost: 0.001, tokens: { input: 10, output: 5 } }),
      stepFinish({
        id: "p2",
        messageID: "m2",
        cost: 0.001,
        tokens: { input: 10, output: 5 },
      }),
    ];
    await postEvents({ sessionId, ingestToken }, late);
    await fireAlarm(sessionId);

    const usage = web.of("usage");
    expect(usage).toHaveLength(2);
    expect(usage[1]?.body).toEqual({
      ...ONE_STEP_REPORT,
      totalTokensIn: 1010,
      totalTokensOut: 205,
      totalCost: 0.0133,
    });
    expect(usage[1]?.headers["idempotency-key"]).not.toBe(
      usage[0]?.headers["idempotency-key"],
    );
    expect(web.of("callback")).toHaveLength(1);
  });

  it("sends no new report when late events repeat what was counted", async () => {
    const web = webApp();
    const { sessionId, ingestToken } = await completedSession();
    await fireAlarm(sessionId);

    const { body } = await postEvents({ sessionId, ingestToken }, ONE_STEP);
    await fireAlarm(sessionId);

    expect(body).toEqual({ accepted: 0, ignored: 2 });
    expect(web.of("usage")).toHaveLength(1);
  });

  it("reports usage that first arrives after completion", async () => {
    const web = webApp();
    const session = await registerSession();
    await postEvents(session, [complete(0)]);
    await fireAlarm(session.sessionId);
    expect(web.received.map((r) => r.kind)).toEqual(["callback"]);

    await postEvents(session, ONE_STEP);
    await fireAlarm(session.sessionId);

    expect(web.of("usage").map((r) => r.body)).toEqual([ONE_STEP_REPORT]);
  });
});
