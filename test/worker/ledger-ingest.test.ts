/**
 * Ingest as a whole: what `accepted` and `ignored` count, repeats, late
 * events after completion, exact costs, and batches applied all or nothing.
 */
import { describe, expect, it } from "vitest";
import { getSession, postEvents, registerSession } from "./helpers/api.ts";
import { fireAlarm } from "./helpers/alarms.ts";
import {
  assistantMessage,
  busEvent,
  complete,
  heartbeat,
  interrupted,
  output,
  stepFinish,
} from "./helpers/envelopes.ts";
import { completeAndReport, plain, rawStep, usageOf } from "./helpers/ledger.ts";
import { webApp } from "./helpers/web-app.ts";

const SONNET = "anthropic/claude-sonnet-4.6";
const FIGURES = { cost: 0.01, tokens: { input: 100, output: 10 } };

describe("accepted and ignored", () => {
  it("ignores envelopes that carry no usage and no terminal signal", async () => {
    const session = await registerSession();

    const { status, body } = await postEvents(session, [
      heartbeat(),
      output("npm test"),
      busEvent("session.idle", { sessionID: "ses_child" }),
      busEvent("message.updated", { info: { id: "u1", role: "user" } }),
      busEvent("message.part.updated", { part: { id: "t1", type: "text" } }),
      { streamEventType: "error", timestamp: "", data: { message: "retrying" } },
      assistantMessage({ id: "m1", ...FIGURES }),
      stepFinish({ id: "p1", messageID: "m1", ...FIGURES }),
    ]);

    expect(status).toBe(202);
    expect(body).toEqual({ accepted: 2, ignored: 6 });
    expect((await getSession(session.sessionId)).status).toBe("running");
  });

  it("accepts the first terminal signal and ignores the later ones", async () => {
    const session = await registerSession();

    const { body } = await postEvents(session, [complete(0), interrupted(), complete(1)]);

    expect(body).toEqual({ accepted: 1, ignored: 2 });
    expect((await getSession(session.sessionId)).status).toBe("completed");
  });

  it("ignores a repeated envelope within one batch", async () => {
    const session = await registerSession();
    const step = stepFinish({ id: "p1", messageID: "m1", ...FIGURES });
    const message = assistantMessage({ id: "m1", ...FIGURES, completed: true });

    const { body } = await postEvents(session, [step, message, step, message]);

    expect(body).toEqual({ accepted: 2, ignored: 2 });
    expect((await usageOf(session.sessionId)).totals).toEqual(plain(100, 10, 10_000_000));
  });

  it("changes nothing when a whole batch arrives twice", async () => {
    const session = await registerSession();
    const batch = [
      assistantMessage({ id: "m1", ...FIGURES, completed: true }),
      stepFinish({ id: "p1", messageID: "m1", ...FIGURES }),
      assistantMessage({ id: "m2", ...FIGURES, completed: true }),
      stepFinish({ id: "p2", messageID: "m2", ...FIGURES }),
    ];
    await postEvents(session, batch);
    const before = await getSession(session.sessionId);

    const { body } = await postEvents(session, batch);

    expect(body).toEqual({ accepted: 0, ignored: 4 });
    expect(await getSession(session.sessionId)).toEqual(before);
  });
});

describe("late events", () => {
  it("reports the new totals when a newer copy of a message arrives late", async () => {
    const web = webApp();
    const session = await registerSession();
    await postEvents(session, [assistantMessage({ id: "m1", ...FIGURES })]);
    await completeAndReport(session, web);

    const late = await postEvents(session, [
      assistantMessage({
        id: "m1",
        cost: 0.02,
        tokens: { input: 200, output: 20 },
        completed: true,
      }),
    ]);
    await fireAlarm(session.sessionId);

    expect(late.body).toEqual({ accepted: 1, ignored: 0 });
    expect(web.of("usage").map((r) => r.body)).toEqual([
      { model: SONNET, totalTokensIn: 100, totalTokensOut: 10, totalCost: 0.01 },
      { model: SONNET, totalTokensIn: 200, totalTokensOut: 20, totalCost: 0.02 },
    ]);
  });

  it("sends no new report when late events repeat what was counted", async () => {
    const web = webApp();
    const session = await registerSession();
    const counted = [
      assistantMessage({ id: "m1", ...FIGURES, completed: true }),
      stepFinish({ id: "p1", messageID: "m1", ...FIGURES }),
    ];
    await postEvents(session, counted);
    await completeAndReport(session, web);

    const late = await postEvents(session, counted);
    await fireAlarm(session.sessionId);

    expect(late.body).toEqual({ accepted: 0, ignored: 2 });
    expect(web.of("usage")).toHaveLength(1);
  });

  it("sends no new report when an older copy of a message arrives late", async () => {
    const web = webApp();
    const session = await registerSession();
    await postEvents(session, [
      assistantMessage({ id: "m1", ...FIGURES, completed: true }),
    ]);
    await completeAndReport(session, web);

    const late = await postEvents(session, [assistantMessage({ id: "m1" })]);
    await fireAlarm(session.sessionId);

    expect(late.body).toEqual({ accepted: 0, ignored: 1 });
    expect(web.of("usage")).toHaveLength(1);
    expect((await getSession(session.sessionId)).deliveries.usage?.state).toBe(
      "delivered",
    );
  });
});

describe("exact costs", () => {
  it("sums 10,000 costs of a microdollar to exactly one cent", async () => {
    const web = webApp();
    const session = await registerSession();
    for (let batch = 0; batch < 10; batch++) {
      const steps = Array.from({ length: 1_000 }, (_, i) =>
        stepFinish({ id: `p${batch * 1_000 + i}`, messageID: "m1", cost: 0.000001 }),
      );
      const { body } = await postEvents(session, steps);
      expect(body).toEqual({ accepted: 1_000, ignored: 0 });
    }

    const usage = await usageOf(session.sessionId);
    const reports = await completeAndReport(session, web);

    // Adding the floats instead would give 0.009999999999999...
    expect(usage.totals).toMatchObject({ costNanoUsd: 10_000_000, costUsd: 0.01 });
    expect(usage.steps).toBe(10_000);
    expect(reports).toEqual([{ totalTokensIn: 0, totalTokensOut: 0, totalCost: 0.01 }]);
  });

  it("reports 0.1 plus 0.2 dollars as exactly 0.3", async () => {
    const web = webApp();
    const session = await registerSession();
    await postEvents(session, [
      stepFinish({ id: "p1", messageID: "m1", cost: 0.1 }),
      stepFinish({ id: "p2", messageID: "m1", cost: 0.2 }),
    ]);

    const [report] = await completeAndReport(session, web);

    expect(report?.totalCost).toBe(0.3);
  });

  it("keeps nanodollars and rounds the reported cost to the microdollar", async () => {
    const web = webApp();
    const session = await registerSession();
    await postEvents(session, [
      stepFinish({ id: "p1", messageID: "m1", cost: 0.0012345 }),
    ]);

    const usage = await usageOf(session.sessionId);
    const [report] = await completeAndReport(session, web);

    expect(usage.totals).toMatchObject({ costNanoUsd: 1_234_500, costUsd: 0.001235 });
    expect(report?.totalCost).toBe(0.001235);
  });

  it("adds costs below a microdollar before rounding them", async () => {
    const web = webApp();
    const session = await registerSession();
    await postEvents(session, [
      stepFinish({ id: "p1", messageID: "m1", cost: 0.0000004 }),
      stepFinish({ id: "p2", messageID: "m1", cost: 0.0000004 }),
      stepFinish({ id: "p3", messageID: "m1", cost: 0.0000004 }),
    ]);

    const [report] = await completeAndReport(session, web);

    expect(report?.totalCost).toBe(0.000001);
  });
});

describe("a batch with one bad envelope", () => {
  const STEP = "[2].data.properties.part";
  const badEnvelopes = [
    {
      what: "a negative token count",
      envelope: stepFinish({ id: "p9", messageID: "m9", tokens: { input: -1 } }),
      path: `${STEP}.tokens.input`,
    },
    {
      what: "a fractional token count",
      envelope: stepFinish({ id: "p9", messageID: "m9", tokens: { output: 1.5 } }),
      path: `${STEP}.tokens.output`,
    },
    {
      what: "a negative cache count",
      envelope: stepFinish({ id: "p9", messageID: "m9", tokens: { cacheRead: -5 } }),
      path: `${STEP}.tokens.cache.read`,
    },
    {
      what: "a cost given as a string",
      envelope: rawStep({ cost: "0.01" }),
      path: `${STEP}.cost`,
    },
    { what: "a cost of 1e300", envelope: rawStep({ cost: 1e300 }), path: `${STEP}.cost` },
    { what: "a negative cost", envelope: rawStep({ cost: -0.01 }), path: `${STEP}.cost` },
    {
      what: "a message whose token count is a string",
      envelope: assistantMessage({
        id: "m9",
        tokens: { input: "7" as unknown as number },
      }),
      path: "[2].data.properties.info.tokens.input",
    },
  ];

  it.each(badEnvelopes)("rejects $what with its path", async ({ envelope, path }) => {
    const session = await registerSession();

    const { status, body } = await postEvents(session, [
      assistantMessage({ id: "m1", ...FIGURES, completed: true }),
      stepFinish({ id: "p1", messageID: "m1", ...FIGURES }),
      envelope,
    ]);

    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: { code: "invalid_request", details: [expect.objectContaining({ path })] },
    });
  });

  it.each(badEnvelopes)("changes nothing for $what", async ({ envelope }) => {
    const session = await registerSession();
    await postEvents(session, [stepFinish({ id: "p0", messageID: "m0", ...FIGURES })]);
    const before = await getSession(session.sessionId);

    await postEvents(session, [
      assistantMessage({ id: "m1", ...FIGURES, completed: true }),
      stepFinish({ id: "p1", messageID: "m1", ...FIGURES }),
      envelope,
      complete(0),
    ]);

    expect(await getSession(session.sessionId)).toEqual(before);
  });

  it("accepts the same batch whole once the bad envelope is fixed", async () => {
    const session = await registerSession();
    const good = [
      assistantMessage({ id: "m1", ...FIGURES, completed: true }),
      stepFinish({ id: "p1", messageID: "m1", ...FIGURES }),
    ];
    await postEvents(session, [...good, rawStep({ cost: "0.01" })]);

    const { body } = await postEvents(session, [...good, rawStep({ cost: 0.01 })]);

    expect(body).toEqual({ accepted: 3, ignored: 0 });
  });
});
