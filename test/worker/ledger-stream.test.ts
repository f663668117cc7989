/**
 * The ledger fed through `POST /sessions/:id/events` as the agent's wrapper
 * sends it, read back through `GET /sessions/:id` and the usage report.
 * Streams follow REFERENCE.md section 3, traps included.
 */
import { describe, expect, it } from "vitest";
import { postEvents, registerSession } from "./helpers/api.ts";
import { assistantMessage, stepFinish } from "./helpers/envelopes.ts";
import { plain, usageOf } from "./helpers/ledger.ts";

describe("a message sent several times", () => {
  it("counts a message once across creation, each step and the end", async () => {
    const session = await registerSession();
    const figures = { cost: 0.01, tokens: { input: 100, output: 20 } };
    await postEvents(session, [
      assistantMessage({ id: "m1" }),
      stepFinish({ id: "p1", messageID: "m1", ...figures }),
      assistantMessage({ id: "m1", ...figures }),
      assistantMessage({ id: "m1", ...figures, completed: true }),
    ]);

    const usage = await usageOf(session.sessionId);

    expect(usage.totals).toEqual(plain(100, 20, 10_000_000));
    expect(usage).toMatchObject({ messages: 1, steps: 1 });
  });

  it("counts the sum of a message's steps, not its last step's tokens", async () => {
    const session = await registerSession();
    await postEvents(session, [
      stepFinish({
        id: "p1",
        messageID: "m1",
        cost: 0.01,
        tokens: { input: 100, output: 10, cacheRead: 1_000 },
      }),
      stepFinish({
        id: "p2",
        messageID: "m1",
        cost: 0.02,
        tokens: { input: 200, output: 20, cacheRead: 2_000 },
      }),
      stepFinish({
        id: "p3",
        messageID: "m1",
        cost: 0.03,
        tokens: { input: 300, output: 30, reasoning: 5, cacheWrite: 50 },
      }),
      // The trap: cumulative cost, but the third step's tokens only.
      assistantMessage({
        id: "m1",
        cost: 0.06,
        tokens: { input: 300, output: 30, reasoning: 5, cacheWrite: 50 },
        completed: true,
      }),
    ]);

    const usage = await usageOf(session.sessionId);

    expect(usage.totals).toEqual({
      tokensIn: 3_650,
      tokensOut: 65,
      input: 600,
      output: 60,
      reasoning: 5,
      cacheRead: 3_000,
      cacheWrite: 50,
      costUsd: 0.06,
      costNanoUsd: 60_000_000,
    });
    expect(usage).toMatchObject({ messages: 1, steps: 3 });
  });

  it("falls back to the message's own figures when the stream has no parts", async () => {
    const session = await registerSession();
    await postEvents(session, [
      assistantMessage({ id: "m1" }),
      assistantMessage({
        id: "m1",
        cost: 0.05,
        tokens: { input: 400, output: 40, reasoning: 4, cacheRead: 10, cacheWrite: 2 },
        completed: true,
      }),
    ]);

    const usage = await usageOf(session.sessionId);

    expect(usage.totals).toEqual({
      tokensIn: 412,
      tokensOut: 44,
      input: 400,
      output: 40,
      reasoning: 4,
      cacheRead: 10,
      cacheWrite: 2,
      costUsd: 0.05,
      costNanoUsd: 50_000_000,
    });
    expect(usage.steps).toBe(0);
  });
});

describe("out-of-order delivery", () => {
  it("keeps a completed copy when an older, unfinished one arrives after it", async () => {
    const session = await registerSession();
    await postEvents(session, [
      assistantMessage({
        id: "m1",
        cost: 0.03,
        tokens: { input: 300, output: 30 },
        completed: true,
      }),
    ]);

    const { body } = await postEvents(session, [
      assistantMessage({ id: "m1", cost: 0.01, tokens: { input: 100, output: 10 } }),
      assistantMessage({ id: "m1" }),
    ]);

    expect(body).toEqual({ accepted: 0, ignored: 2 });
    expect((await usageOf(session.sessionId)).totals).toEqual(plain(300, 30, 30_000_000));
  });

  it("keeps the copy with the higher cost when neither is completed", async () => {
    const session = await registerSession();
    await postEvents(session, [
      assistantMessage({ id: "m1", cost: 0.02, tokens: { input: 200, output: 20 } }),
      assistantMessage({ id: "m1", cost: 0.01, tokens: { input: 100, output: 10 } }),
    ]);

    expect((await usageOf(session.sessionId)).totals).toEqual(plain(200, 20, 20_000_000));
  });

  it("keeps a copy with tokens when the zero creation copy of a free model arrives after it", async () => {
    const session = await registerSession();
    const free = { modelID: "kilo/free-model:free", cost: 0 };
    await postEvents(session, [
      assistantMessage({ id: "m1", ...free, tokens: { input: 500, output: 50 } }),
    ]);

    const { body } = await postEvents(session, [assistantMessage({ id: "m1", ...free })]);

    expect(body).toEqual({ accepted: 0, ignored: 1 });
    expect((await usageOf(session.sessionId)).totals).toEqual(plain(500, 50, 0));
  });

  it("lets a completed copy replace an unfinished one", async () => {
    const session = await registerSession();
    await postEvents(session, [
      assistantMessage({ id: "m1", cost: 0.02, tokens: { input: 200, output: 20 } }),
      assistantMessage({
        id: "m1",
        cost: 0.02,
        tokens: { input: 50, output: 5 },
        completed: true,
      }),
    ]);

    expect((await usageOf(session.sessionId)).totals).toEqual(plain(50, 5, 20_000_000));
  });

  it("counts a step at once when it arrives before its message", async () => {
    const session = await registerSession();
    await postEvents(session, [
      stepFinish({
        id: "p1",
        messageID: "m1",
        cost: 0.01,
        tokens: { input: 100, output: 10 },
      }),
    ]);

    const usage = await usageOf(session.sessionId);

    expect(usage.totals).toEqual(plain(100, 10, 10_000_000));
    expect(usage.model).toBeNull();
    expect(usage.byModel).toEqual([
      { model: null, messages: 0, steps: 1, ...plain(100, 10, 10_000_000) },
    ]);
  });

  it("gives an early step its message's model when the message arrives", async () => {
    const session = await registerSession();
    const figures = { cost: 0.01, tokens: { input: 100, output: 10 } };
    await postEvents(session, [stepFinish({ id: "p1", messageID: "m1", ...figures })]);

    await postEvents(session, [
      assistantMessage({
        id: "m1",
        modelID: "claude-sonnet-4-5",
        providerID: "anthropic",
        ...figures,
        completed: true,
      }),
    ]);
    const usage = await usageOf(session.sessionId);

    expect(usage.totals).toEqual(plain(100, 10, 10_000_000));
    expect(usage.model).toBe("anthropic/claude-sonnet-4-5");
    expect(usage.byModel).toEqual([
      {
        model: "anthropic/claude-sonnet-4-5",
        messages: 1,
        steps: 1,
        ...plain(100, 10, 10_000_000),
      },
    ]);
  });
});
