import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { getSession } from "./helpers/api.ts";
import { advanceAndFire, fireAlarm, stubOf } from "./helpers/alarms.ts";
import { ONE_STEP_REPORT, completedSession } from "./helpers/flows.ts";
import { webApp } from "./helpers/web-app.ts";

const SECOND_MS = 1000;

function msUntil(iso: string | null | undefined): number {
  return Date.parse(iso ?? "") - Date.now();
}

describe("usage delivery retries", () => {
  it("retries a 5xx and then delivers, usage still before the callback", async () => {
    const web = webApp({ usage: [503, 500] });
    const { sessionId } = await completedSession();

    await fireAlarm(sessionId);
    const first = await getSession(sessionId);
    expect(first.deliveries.usage).toMatchObject({
      state: "pending",
      attempts: 1,
      lastStatus: 503,
    });
    expect(first.deliveries.callback?.state).toBe("pending");
    expect(web.of("callback")).toHaveLength(0);

    await advanceAndFire(sessionId, 3 * SECOND_MS);
    await advanceAndFire(sessionId, 13 * SECOND_MS);

    expect(web.received.map((r) => r.kind)).toEqual([
      "usage",
      "usage",
      "usage",
      "callback",
    ]);
    const after = await getSession(sessionId);
    expect(after.deliveries.usage).toMatchObject({ state: "delivered", attempts: 3 });
    expect(after.deliveries.callback?.state).toBe("delivered");
  });

  it("schedules the first retry about two seconds out, within the jitter", async () => {
    webApp({ usage: [500] });
    const { sessionId } = await completedSession();

    await fireAlarm(sessionId);

    const waitMs = msUntil((await getSession(sessionId)).deliveries.usage?.nextAttemptAt);
    expect(waitMs).toBeGreaterThan(1600 - 500);
    expect(waitMs).toBeLessThanOrEqual(2400);
  });

  it("honours a Retry-After longer than the planned delay", async () => {
    webApp({ usage: [{ status: 429, headers: { "retry-after": "120" } }] });
    const { sessionId } = await completedSession();

    await fireAlarm(sessionId);

    const waitMs = msUntil((await getSession(sessionId)).deliveries.usage?.nextAttemptAt);
    expect(waitMs).toBeGreaterThan(115 * SECOND_MS);
    expect(waitMs).toBeLessThanOrEqual(120 * SECOND_MS);
  });

  it("caps Retry-After at one hour", async () => {
    webApp({ usage: [{ status: 503, headers: { "retry-after": "86400" } }] });
    const { sessionId } = await completedSession();

    await fireAlarm(sessionId);

    const waitMs = msUntil((await getSession(sessionId)).deliveries.usage?.nextAttemptAt);
    expect(waitMs).toBeGreaterThan(3595 * SECOND_MS);
    expect(waitMs).toBeLessThanOrEqual(3600 * SECOND_MS);
  });

  it("retries a network error", async () => {
    const web = webApp({ usage: ["network-error"] });
    const { sessionId } = await completedSession();

    await fireAlarm(sessionId);
    const usage = (await getSession(sessionId)).deliveries.usage;
    expect(usage).toMatchObject({ state: "pending", attempts: 1, lastStatus: null });
    expect(usage?.lastError).toMatch(/network error/);

    await advanceAndFire(sessionId, 3 * SECOND_MS);
    expect(web.of("usage")).toHaveLength(2);
    expect((await getSession(sessionId)).deliveries.usage?.state).toBe("delivered");
  });

  it("retries 408 and 425 like 429", async () => {
    const web = webApp({ usage: [408, 425] });
    const { sessionId } = await completedSession();

    await fireAlarm(sessionId);
    await advanceAndFire(sessionId, 3 * SECOND_MS);
    await advanceAndFire(sessionId, 13 * SECOND_MS);

    expect(web.of("usage")).toHaveLength(3);
    expect((await getSession(sessionId)).deliveries.usage?.state).toBe("delivered");
  });

  it("survives an eviction between two attempts", async () => {
    const web = webApp({ usage: [500] });
    const { sessionId } = await completedSession();
    await fireAlarm(sessionId);

    await evictDurableObject(stubOf(sessionId));
    await advanceAndFire(sessionId, 3 * SECOND_MS);

    expect(web.received.map((r) => r.kind)).toEqual(["usage", "usage", "callback"]);
    expect(web.of("usage")[1]?.body).toEqual(ONE_STEP_REPORT);
  });

  it("sends nothing more when the alarm runs again after delivery", async () => {
    const web = webApp();
    const { sessionId } = await completedSession();
    await fireAlarm(sessionId);
    expect(web.received).toHaveLength(2);

    await fireAlarm(sessionId);
    await fireAlarm(sessionId);

    expect(web.received).toHaveLength(2);
  });
});
