import { describe, expect, it } from "vitest";
import { call, getSession, postEvents, registerSession } from "./helpers/api.ts";
import { advanceAndFire, alarmAt, fireAlarm } from "./helpers/alarms.ts";
import { heartbeat } from "./helpers/envelopes.ts";
import { ONE_STEP, ONE_STEP_REPORT, completedSession } from "./helpers/flows.ts";
import { webApp } from "./helpers/web-app.ts";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const STALE_AFTER_MS = 10 * MINUTE_MS;
/** The silence limit plus the coarseness of stored activity (one minute). */
const SURELY_STALE_MS = STALE_AFTER_MS + MINUTE_MS + 1_000;

describe("a session that goes silent", () => {
  it("is ended as failed, and its usage and callback still go out", async () => {
    const web = webApp();
    const session = await registerSession();
    await postEvents(session, ONE_STEP);

    await advanceAndFire(session.sessionId, SURELY_STALE_MS);

    const state = await getSession(session.sessionId);
    expect(state.status).toBe("failed");
    expect(state.errorMessage).toMatch(/went silent: no event for \d+ s/);
    expect(web.received.map((r) => r.kind)).toEqual(["usage", "callback"]);
    expect(web.of("usage")[0]?.body).toEqual(ONE_STEP_REPORT);
    expect(web.of("callback")[0]?.body).toMatchObject({ status: "failed" });
  });

  it("is not ended while heartbeats arrive", async () => {
    const session = await registerSession();
    await advanceAndFire(session.sessionId, 9 * MINUTE_MS);
    await postEvents(session, [heartbeat()]);

    await advanceAndFire(session.sessionId, 9 * MINUTE_MS);

    expect((await getSession(session.sessionId)).status).toBe("running");
  });

  it("re-arms the alarm for the silence deadline while running", async () => {
    const session = await registerSession();
    await fireAlarm(session.sessionId);

    const at = await alarmAt(session.sessionId);
    expect(at ?? 0).toBeGreaterThan(Date.now() + STALE_AFTER_MS - 1_000);
    expect((await getSession(session.sessionId)).status).toBe("running");
  });
});

describe("retention", () => {
  it("deletes a settled session after RETENTION_MS, and its id starts fresh", async () => {
    webApp();
    const { sessionId } = await completedSession();
    await fireAlarm(sessionId);

    await advanceAndFire(sessionId, 30 * DAY_MS + 1_000);

    expect((await call("GET", `/sessions/${sessionId}`)).status).toBe(404);
    expect(await alarmAt(sessionId)).toBeNull();
    const again = await call("PUT", `/sessions/${sessionId}`, { body: {} });
    expect(again.status).toBe(201);
    expect((await getSession(sessionId)).usage.totals.tokensIn).toBe(0);
  });

  it("keeps a session whose delivery is still pending", async () => {
    webApp({ usage: ["network-error", "network-error"] });
    const { sessionId } = await completedSession({ callbackTarget: undefined });
    await fireAlarm(sessionId);

    await advanceAndFire(sessionId, 30 * DAY_MS + 1_000);

    const state = await getSession(sessionId);
    expect(state.deliveries.usage).toMatchObject({ state: "pending", attempts: 2 });
  });

  it("arms the alarm for the end of retention once everything settled", async () => {
    webApp();
    const { sessionId } = await completedSession();
    await fireAlarm(sessionId);

    const at = await alarmAt(sessionId);
    expect(at ?? 0).toBeGreaterThan(Date.now() + 30 * DAY_MS - MINUTE_MS);
    expect(at ?? Infinity).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS);
  });
});
