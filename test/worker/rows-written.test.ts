import { describe, expect, it } from "vitest";
import { ADMIN_SECRET, callJson, postEvents, registerSession } from "./helpers/api.ts";
import {
  assistantMessage,
  busEvent,
  heartbeat,
  output,
  stepFinish,
} from "./helpers/envelopes.ts";

async function rowsWritten(sessionId: string): Promise<number> {
  const { body } = await callJson<{ rowsWritten: number }>(
    "GET",
    `/bench/sessions/${sessionId}/stats`,
    { token: ADMIN_SECRET },
  );
  return body.rowsWritten;
}

/** Rows written by posting `envelopes`, one request each. */
async function rowsFor(envelopes: unknown[]) {
  const session = await registerSession();
  const before = await rowsWritten(session.sessionId);
  for (const envelope of envelopes) await postEvents(session, [envelope]);
  return (await rowsWritten(session.sessionId)) - before;
}

describe("rows written per envelope", () => {
  it("writes no row for heartbeats, output and unused bus events", async () => {
    const noise = [
      heartbeat(),
      output("npm test"),
      busEvent("session.idle"),
      heartbeat(),
    ];
    expect(await rowsFor(noise)).toBe(0);
  });

  it("writes one row per new message copy or step", async () => {
    const usage = [
      assistantMessage({ id: "m1" }),
      assistantMessage({ id: "m1", cost: 0.01, tokens: { input: 5 } }),
      stepFinish({ id: "p1", messageID: "m1", cost: 0.01, tokens: { input: 5 } }),
    ];
    expect(await rowsFor(usage)).toBe(3);
  });

  it("writes no row for a repeated envelope", async () => {
    const step = stepFinish({ id: "p1", messageID: "m1", cost: 0.01 });
    expect(await rowsFor([step, step, step])).toBe(1);
  });
});
