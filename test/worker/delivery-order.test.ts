import { describe, expect, it } from "vitest";
import {
  INTERNAL_SECRET,
  getSession,
  postEvents,
  registerSession,
} from "./helpers/api.ts";
import { fireAlarm } from "./helpers/alarms.ts";
import { assistantMessage, complete, stepFinish } from "./helpers/envelopes.ts";
import { webApp } from "./helpers/web-app.ts";

describe("delivery on completion", () => {
  it("sends the usage report, then the callback", async () => {
    const web = webApp();
    const session = await registerSession();
    await postEvents(session, [
      assistantMessage({ id: "m1", cost: 0.01, tokens: { input: 100, output: 20 } }),
      stepFinish({
        id: "p1",
        messageID: "m1",
        cost: 0.01,
        tokens: { input: 100, output: 20 },
      }),
      complete(0, "feature/x"),
    ]);

    expect(await fireAlarm(session.sessionId)).toBe(true);

    expect(web.received.map((r) => r.kind)).toEqual(["usage", "callback"]);
    const [usage, callback] = web.received;
    expect(usage?.headers["x-internal-secret"]).toBe(INTERNAL_SECRET);
    expect(usage?.body).toEqual({
      model: "anthropic/claude-sonnet-4.6",
      totalTokensIn: 100,
      totalTokensOut: 20,
      totalCost: 0.01,
    });
    expect(callback?.body).toMatchObject({
      sessionId: session.sessionId,
      status: "completed",
      lastSeenBranch: "feature/x",
    });
    const state = await getSession(session.sessionId);
    expect(state.deliveries.usage?.state).toBe("delivered");
    expect(state.deliveries.callback?.state).toBe("delivered");
  });
});
