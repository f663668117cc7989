/**
 * Issue 5, "No secret leaks", whole sessions: ones that succeed, ones whose
 * usage or callback deliveries fail, time out or give up, ones ended from
 * outside, ingest over a WebSocket and sums past 2^53, with every log line,
 * every answer and every frame captured; none may hold a secret, an ingest
 * token or a callback header value, and every log line is one JSON object
 * with an `event` name. Refused input is in no-secret-leak-refusals.test.ts.
 */
import { HttpResponse, delay, http } from "msw";
import { describe, expect, it } from "vitest";
import { ADMIN_SECRET, WEB } from "./helpers/api.ts";
import { advanceAndFire, fireAlarm } from "./helpers/alarms.ts";
import {
  assistantMessage,
  complete,
  fatalError,
  heartbeat,
  interrupted,
  output,
  stepFinish,
} from "./helpers/envelopes.ts";
import {
  expectNothingLeaked,
  newSession,
  post,
  readAll,
  resend,
  useLeakRecorder,
} from "./helpers/leak-session.ts";
import { network } from "./helpers/network.ts";
import { openSocket } from "./helpers/socket.ts";
import { webApp } from "./helpers/web-app.ts";

const HOUR_MS = 3_600_000;

/** Two steps of the root session, one of a sub-agent. */
const USAGE = [
  assistantMessage({ id: "m1", cost: 0.02, tokens: { input: 900, output: 80 } }),
  stepFinish({
    id: "p1",
    messageID: "m1",
    cost: 0.01,
    tokens: { input: 500, output: 40 },
  }),
  stepFinish({
    id: "p2",
    messageID: "m1",
    cost: 0.01,
    tokens: { input: 400, output: 40 },
  }),
  assistantMessage({
    id: "m1",
    cost: 0.02,
    tokens: { input: 400, output: 40 },
    completed: true,
  }),
  assistantMessage({
    id: "m2",
    sessionID: "ses_sub",
    modelID: "gpt-5",
    providerID: "openai",
  }),
  stepFinish({
    id: "p3",
    messageID: "m2",
    sessionID: "ses_sub",
    cost: 0.003,
    tokens: { input: 70, reasoning: 9 },
  }),
  heartbeat(),
  output("reviewing src/index.ts"),
];

const recorder = useLeakRecorder();

describe("no secret leaks", () => {
  it("from a session that succeeds, read through every route", async () => {
    const rec = recorder();
    const web = webApp();
    const session = await newSession(rec);

    await post(rec, session, USAGE);
    await rec.call("POST", `/sessions/${session.sessionId}/events`, {
      token: session.token,
      contentType: "application/x-ndjson",
      rawBody: [heartbeat(), complete(0, "main")]
        .map((e) => JSON.stringify(e))
        .join("\n"),
    });
    await fireAlarm(session.sessionId);
    await readAll(rec, session.sessionId);
    await resend(rec, session.sessionId, "all");
    await fireAlarm(session.sessionId);
    await readAll(rec, session.sessionId);

    expect(web.received.map((r) => r.kind)).toEqual([
      "usage",
      "callback",
      "usage",
      "callback",
    ]);
    expect(rec.events()).toEqual(
      expect.arrayContaining([
        "session.registered",
        "session.completed",
        "usage.delivered",
        "callback.delivered",
        "usage.resend",
        "callback.resend",
      ]),
    );
    expectNothingLeaked(rec);
  });

  it("from usage that fails: 5xx, a network error, 429, then a 4xx for good", async () => {
    const rec = recorder();
    const web = webApp({
      usage: [
        503,
        "network-error",
        { status: 429, headers: { "retry-after": "5" } },
        400,
      ],
    });
    const session = await newSession(rec);
    await post(rec, session, [...USAGE, complete(0)]);

    await fireAlarm(session.sessionId);
    for (let i = 0; i < 3; i++) await advanceAndFire(session.sessionId, HOUR_MS);
    await readAll(rec, session.sessionId);
    await resend(rec, session.sessionId, "usage");
    await fireAlarm(session.sessionId);
    await readAll(rec, session.sessionId);

    expect(web.of("usage")).toHaveLength(5);
    expect(rec.events()).toEqual(
      expect.arrayContaining([
        "usage.retry_scheduled",
        "usage.failed",
        "usage.delivered",
      ]),
    );
    expectNothingLeaked(rec);
  });

  it("from a callback that fails: 500, a network error, 401, then a redirect", async () => {
    const rec = recorder();
    const web = webApp({
      callback: [
        500,
        "network-error",
        401,
        { status: 302, headers: { location: "https://elsewhere.test/steal" } },
      ],
    });
    const session = await newSession(rec);
    await post(rec, session, [...USAGE, complete(0)]);

    await fireAlarm(session.sessionId);
    for (let i = 0; i < 2; i++) await advanceAndFire(session.sessionId, HOUR_MS);
    await resend(rec, session.sessionId, "callback");
    await fireAlarm(session.sessionId);
    await resend(rec, session.sessionId, "callback");
    await fireAlarm(session.sessionId);
    await readAll(rec, session.sessionId);

    expect(web.of("callback")).toHaveLength(5);
    expect(rec.events()).toEqual(
      expect.arrayContaining(["callback.retry_scheduled", "callback.failed"]),
    );
    expectNothingLeaked(rec);
  });

  it("from deliveries that time out, pass the gate and give up", async () => {
    const rec = recorder();
    const web = webApp();
    network.use(
      http.post(`${WEB}/api/internal/code-review-usage/:reviewId`, async () => {
        await delay(5_000);
        return HttpResponse.json({ success: true });
      }),
    );
    const session = await newSession(rec);
    await post(rec, session, [...USAGE, complete(0)]);

    await fireAlarm(session.sessionId);
    network.use(
      http.post(`${WEB}/api/internal/code-review-usage/:reviewId`, () =>
        HttpResponse.json({ error: "down" }, { status: 503 }),
      ),
    );
    for (let i = 0; i < 11; i++) await advanceAndFire(session.sessionId, 16 * HOUR_MS);
    await readAll(rec, session.sessionId);

    expect(web.of("callback")).toHaveLength(1);
    expect(rec.events()).toEqual(expect.arrayContaining(["usage.gave_up"]));
    expectNothingLeaked(rec);
  });

  it("from sessions ended from outside, interrupted, failed and silent", async () => {
    const rec = recorder();
    webApp();
    const byCaller = await newSession(rec);
    const byInterrupt = await newSession(rec);
    const byFatal = await newSession(rec);
    const bySilence = await newSession(rec);
    const all = [byCaller, byInterrupt, byFatal, bySilence];
    for (const s of all) await post(rec, s, USAGE);

    const done = { status: "failed", errorMessage: "runner lost", lastSeenBranch: "fix" };
    await rec.call("POST", `/sessions/${byCaller.sessionId}/complete`, { body: done });
    await rec.call("POST", `/sessions/${byCaller.sessionId}/complete`, { body: done });
    await post(rec, byInterrupt, [interrupted(), complete(0)]);
    await post(rec, byFatal, [fatalError("model provider refused the request")]);
    for (const s of [byCaller, byInterrupt, byFatal]) await fireAlarm(s.sessionId);
    await advanceAndFire(bySilence.sessionId, 700_000);
    for (const s of all) await readAll(rec, s.sessionId);

    expect(rec.events()).toEqual(expect.arrayContaining(["session.stale"]));
    expectNothingLeaked(rec);
  });

  it("from ingest over a WebSocket, good frames and bad", async () => {
    const rec = recorder();
    webApp();
    const session = await newSession(rec);
    const other = await newSession(rec);
    const path = `/sessions/${session.sessionId}/ingest`;
    const socket = await openSocket(path, session.token);

    const frames = [
      JSON.stringify(USAGE),
      "not json",
      JSON.stringify({ streamEventType: "complete", data: { exitCode: "zero" } }),
      JSON.stringify(Array.from({ length: 1_001 }, () => heartbeat())),
      JSON.stringify(complete(0)),
    ];
    for (const frame of frames) rec.frames.push(JSON.stringify(await socket.send(frame)));
    socket.close();
    for (const token of [other.token, "wrong", ADMIN_SECRET]) {
      const refused = await openSocket(path, token).catch((error: unknown) => error);
      rec.frames.push(refused instanceof Error ? refused.message : "upgraded");
    }
    await fireAlarm(session.sessionId);
    await readAll(rec, session.sessionId);

    expect(rec.frames.map((f) => f.slice(0, 30))).toEqual([
      expect.stringContaining('"ack"'),
      expect.stringContaining('"error"'),
      expect.stringContaining('"error"'),
      expect.stringContaining('"error"'),
      expect.stringContaining('"ack"'),
      expect.stringContaining("401"),
      expect.stringContaining("401"),
      expect.stringContaining("401"),
    ]);
    expectNothingLeaked(rec);
  });

  /*
   * Each of these costs is at the per-event bound, and their sum passes
   * 2^53 nanodollars, where exact integers end: the session must keep
   * working, and its lines must leak nothing either.
   */
  it("from a session whose summed costs pass 2^53 nanodollars", async () => {
    const rec = recorder();
    webApp();
    const session = await newSession(rec);
    const steps = Array.from({ length: 9_224 }, (_, i) =>
      stepFinish({ id: `p${i}`, messageID: "m1", cost: 1_000, tokens: { input: 1 } }),
    );
    const all = [assistantMessage({ id: "m1", cost: 1_000 }), ...steps];
    for (let i = 0; i < all.length; i += 1_000)
      await post(rec, session, all.slice(i, i + 1_000));

    await post(rec, session, [complete(0)]);
    await rec.call("POST", `/sessions/${session.sessionId}/complete`, {
      body: { status: "completed" },
    });
    await advanceAndFire(session.sessionId, 700_000);
    await readAll(rec, session.sessionId);

    expectNothingLeaked(rec);
  });
});
