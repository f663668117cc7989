/**
 * Which usage the ledger counts and under which model: sub-agents, errored
 * messages, model names, and the model that the usage report names.
 */
import { describe, expect, it } from "vitest";
import { postEvents, registerSession } from "./helpers/api.ts";
import { assistantMessage, stepFinish } from "./helpers/envelopes.ts";
import { completeAndReport, plain, usageOf } from "./helpers/ledger.ts";
import { webApp } from "./helpers/web-app.ts";

const SONNET = "anthropic/claude-sonnet-4.6";

describe("who and what is counted", () => {
  it("counts the messages of sub-agent sessions", async () => {
    const session = await registerSession();
    await postEvents(session, [
      assistantMessage({ id: "m1", sessionID: "ses_root", completed: true }),
      stepFinish({
        id: "p1",
        messageID: "m1",
        cost: 0.01,
        tokens: { input: 100, output: 10 },
      }),
      assistantMessage({ id: "m2", sessionID: "ses_child", completed: true }),
      stepFinish({
        id: "p2",
        messageID: "m2",
        sessionID: "ses_child",
        cost: 0.005,
        tokens: { input: 50, output: 5 },
      }),
    ]);

    const usage = await usageOf(session.sessionId);

    expect(usage.totals).toEqual(plain(150, 15, 15_000_000));
    expect(usage).toMatchObject({ messages: 2, steps: 2 });
  });

  it("counts an errored message like any other", async () => {
    const session = await registerSession();
    await postEvents(session, [
      stepFinish({
        id: "p1",
        messageID: "m1",
        cost: 0.002,
        tokens: { input: 80, output: 3 },
      }),
      assistantMessage({
        id: "m1",
        cost: 0.002,
        tokens: { input: 80, output: 3 },
        completed: true,
        error: { name: "APIError", data: { message: "overloaded" } },
      }),
    ]);

    expect((await usageOf(session.sessionId)).totals).toEqual(plain(80, 3, 2_000_000));
  });

  it("names a model from a path modelID or from providerID/modelID", async () => {
    const session = await registerSession();
    await postEvents(session, [
      assistantMessage({ id: "m1", modelID: SONNET, providerID: "kilo", cost: 0.01 }),
      assistantMessage({
        id: "m2",
        modelID: "claude-haiku-4-5",
        providerID: "anthropic",
        cost: 0.01,
      }),
    ]);

    const { byModel } = await usageOf(session.sessionId);

    expect(byModel.map((m) => m.model)).toEqual(["anthropic/claude-haiku-4-5", SONNET]);
  });
});

describe("several models", () => {
  const sonnetStep = { cost: 0.03, tokens: { input: 1_000, output: 100 } };
  const haikuStep = { cost: 0.001, tokens: { input: 300, output: 30 } };
  const haiku = { modelID: "claude-haiku-4-5", providerID: "anthropic" };

  it("sums each model apart and reports the one with the most tokens", async () => {
    const web = webApp();
    const session = await registerSession();
    await postEvents(session, [
      assistantMessage({ id: "m1", ...sonnetStep, completed: true }),
      stepFinish({ id: "p1", messageID: "m1", ...sonnetStep }),
      assistantMessage({ id: "m2", ...haiku, ...haikuStep, created: 1_800_000_000_000 }),
      stepFinish({ id: "p2", messageID: "m2", ...haikuStep }),
    ]);

    const usage = await usageOf(session.sessionId);
    const reports = await completeAndReport(session, web);

    expect(usage.byModel).toEqual([
      {
        model: "anthropic/claude-haiku-4-5",
        messages: 1,
        steps: 1,
        ...plain(300, 30, 1_000_000),
      },
      { model: SONNET, messages: 1, steps: 1, ...plain(1_000, 100, 30_000_000) },
    ]);
    expect(usage.model).toBe(SONNET);
    expect(reports).toEqual([
      { model: SONNET, totalTokensIn: 1_300, totalTokensOut: 130, totalCost: 0.031 },
    ]);
  });

  it("reports the model seen last on a tie in tokens", async () => {
    const web = webApp();
    const session = await registerSession();
    await postEvents(session, [
      assistantMessage({ id: "m1", created: 1_000, tokens: { input: 60, output: 40 } }),
      assistantMessage({
        id: "m2",
        ...haiku,
        created: 2_000,
        tokens: { input: 90, output: 10 },
      }),
    ]);

    const [report] = await completeAndReport(session, web);

    expect(report?.model).toBe("anthropic/claude-haiku-4-5");
  });

  it("breaks a tie by creation time, not by arrival order", async () => {
    const session = await registerSession();
    await postEvents(session, [
      assistantMessage({ id: "m2", ...haiku, created: 2_000, tokens: { input: 100 } }),
      assistantMessage({ id: "m1", created: 1_000, tokens: { input: 100 } }),
    ]);

    expect((await usageOf(session.sessionId)).model).toBe("anthropic/claude-haiku-4-5");
  });
});
