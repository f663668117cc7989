import { http, HttpResponse, delay } from "msw";
import { describe, expect, it } from "vitest";
import { WEB, getSession, postEvents, registerSession } from "./helpers/api.ts";
import { advanceAndFire, fireAlarm } from "./helpers/alarms.ts";
import { complete } from "./helpers/envelopes.ts";
import { completedSession } from "./helpers/flows.ts";
import { network } from "./helpers/network.ts";
import { webApp } from "./helpers/web-app.ts";

const HOUR_MS = 3_600_000;
const GATE_MS = 60_000;

describe("deliveries that fail", () => {
  it("fails a 4xx for good and releases the callback at once", async () => {
    const web = webApp({ usage: [404] });
    const { sessionId } = await completedSession();

    await fireAlarm(sessionId);

    expect(web.received.map((r) => r.kind)).toEqual(["usage", "callback"]);
    const state = await getSession(sessionId);
    expect(state.deliveries.usage).toMatchObject({ state: "failed", lastStatus: 404 });
    expect(state.deliveries.callback?.state).toBe("delivered");
  });

  it("does not follow a redirect: a 3xx fails for good", async () => {
    const web = webApp({
      usage: [{ status: 302, headers: { location: "https://evil.test/" } }],
    });
    const { sessionId } = await completedSession();

    await fireAlarm(sessionId);

    expect(web.of("usage")).toHaveLength(1);
    const usage = (await getSession(sessionId)).deliveries.usage;
    expect(usage).toMatchObject({ state: "failed", lastStatus: 302 });
  });

  it("retries an attempt that times out", async () => {
    network.use(
      http.post(`${WEB}/api/internal/code-review-usage/:reviewId`, async () => {
        await delay(5_000);
        return HttpResponse.json({ success: true });
      }),
    );
    const { sessionId } = await completedSession({ callbackTarget: undefined });

    await fireAlarm(sessionId);

    const usage = (await getSession(sessionId)).deliveries.usage;
    expect(usage).toMatchObject({ state: "pending", attempts: 1, lastStatus: null });
    expect(usage?.lastError).toMatch(/timed out after 1000 ms/);
  });

  it("gives up after the last delay of the schedule", async () => {
    const web = webApp({ usage: Array<number>(11).fill(503) });
    const { sessionId } = await completedSession({ callbackTarget: undefined });

    await fireAlarm(sessionId);
    for (let attempt = 2; attempt <= 11; attempt++)
      await advanceAndFire(sessionId, 16 * HOUR_MS);

    expect(web.of("usage")).toHaveLength(11);
    const usage = (await getSession(sessionId)).deliveries.usage;
    expect(usage).toMatchObject({ state: "gave_up", attempts: 11, nextAttemptAt: null });
    await advanceAndFire(sessionId, 16 * HOUR_MS);
    expect(web.of("usage")).toHaveLength(11);
  });

  it("holds the callback while usage retries within the gate", async () => {
    const web = webApp({ usage: [500, 500, 500] });
    const { sessionId } = await completedSession();

    await fireAlarm(sessionId);
    await advanceAndFire(sessionId, 3_000);
    await advanceAndFire(sessionId, 13_000);

    expect(web.of("callback")).toHaveLength(0);
    await advanceAndFire(sessionId, 40_000);
    expect(web.received.map((r) => r.kind)).toEqual([
      "usage",
      "usage",
      "usage",
      "usage",
      "callback",
    ]);
  });

  it("sends the callback without usage once the gate expires, and usage keeps trying", async () => {
    const web = webApp({ usage: Array<"network-error">(6).fill("network-error") });
    const { sessionId } = await completedSession();

    await fireAlarm(sessionId);
    await advanceAndFire(sessionId, GATE_MS + 1_000);

    expect(web.of("callback")).toHaveLength(1);
    const state = await getSession(sessionId);
    expect(state.deliveries.usage?.state).toBe("pending");
    expect(state.deliveries.callback?.state).toBe("delivered");

    for (let i = 0; i < 6; i++) await advanceAndFire(sessionId, 16 * HOUR_MS);
    expect((await getSession(sessionId)).deliveries.usage?.state).toBe("delivered");
  });

  it("retries a callback answered 500, then delivers it once", async () => {
    const web = webApp({ callback: [500] });
    const { sessionId } = await completedSession();

    await fireAlarm(sessionId);
    await advanceAndFire(sessionId, 3_000);

    expect(web.received.map((r) => r.kind)).toEqual(["usage", "callback", "callback"]);
    const state = await getSession(sessionId);
    expect(state.deliveries.usage?.attempts).toBe(1);
    expect(state.deliveries.callback).toMatchObject({ state: "delivered", attempts: 2 });
  });
});

describe("what a terminal session sends", () => {
  it("sends only the callback when the session has no reviewId", async () => {
    const web = webApp();
    const { sessionId } = await completedSession({ reviewId: undefined });

    await fireAlarm(sessionId);

    expect(web.received.map((r) => r.kind)).toEqual(["callback"]);
    expect((await getSession(sessionId)).deliveries.usage).toBeNull();
  });

  it("sends no usage report when no usage was recorded", async () => {
    const web = webApp();
    const session = await registerSession();
    await postEvents(session, [complete(1)]);

    await fireAlarm(session.sessionId);

    expect(web.received.map((r) => r.kind)).toEqual(["callback"]);
    expect(web.received[0]?.body).toMatchObject({
      status: "failed",
      errorMessage: "agent exited with code 1",
    });
  });

  it("sends only usage when there is no callback target", async () => {
    const web = webApp();
    const { sessionId } = await completedSession({ callbackTarget: undefined });

    await fireAlarm(sessionId);

    expect(web.received.map((r) => r.kind)).toEqual(["usage"]);
  });
});
