import { describe, expect, it } from "vitest";
import { getSession, postEvents, registerSession } from "./helpers/api.ts";
import { fireAlarm } from "./helpers/alarms.ts";
import { assistantMessage, complete, stepFinish } from "./helpers/envelopes.ts";
import { webApp } from "./helpers/web-app.ts";

describe("ledger bounds", () => {
  it("keeps working when summed costs pass 2^53 nanodollars", async () => {
    const web = webApp();
    const session = await registerSession();
    const steps = Array.from({ length: 9_224 }, (_, i) =>
      stepFinish({ id: `p${i}`, messageID: "m1", cost: 1_000, tokens: { output: 1 } }),
    );
    const all = [assistantMessage({ id: "m1", cost: 1_000 }), ...steps];
    for (let i = 0; i < all.length; i += 1_000) {
      expect((await postEvents(session, all.slice(i, i + 1_000))).status).toBe(202);
    }

    expect((await postEvents(session, [complete(0)])).status).toBe(202);
    await fireAlarm(session.sessionId);

    const totals = (await getSession(session.sessionId)).usage.totals;
    expect(totals.costUsd).toBeCloseTo(9_224_000, 0);
    expect(totals.tokensOut).toBe(9_224);
    expect(web.received.map((r) => r.kind)).toEqual(["usage", "callback"]);
    expect(web.of("usage")[0]?.body.totalCost).toBeCloseTo(9_224_000, 0);
  });

  it("refuses a cost over $1,000 for one event", async () => {
    const session = await registerSession();
    const step = stepFinish({ id: "p1", messageID: "m1", cost: 1_000.01 });

    const { status } = await postEvents(session, [step]);

    expect(status).toBe(400);
  });

  it("refuses more than 10^9 tokens of one class in one event", async () => {
    const session = await registerSession();
    const step = stepFinish({
      id: "p1",
      messageID: "m1",
      tokens: { cacheRead: 1_000_000_001 },
    });

    const { status } = await postEvents(session, [step]);

    expect(status).toBe(400);
  });
});
