/**
 * Issue 5, "No secret leaks": full sessions, failures and wrong credentials
 * included, with every log line and every answer captured; none may hold a
 * secret, an ingest token or a callback header value, and every log line is
 * one JSON object with an `event` name.
 */
import { HttpResponse, delay, http } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CallOptions } from "./helpers/api.ts";
import {
  ADMIN_SECRET,
  HOOKS,
  INTERNAL_SECRET,
  SESSION_SECRET,
  WEB,
  uniqueId,
} from "./helpers/api.ts";
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
import { LeakRecorder } from "./helpers/leak-recorder.ts";
import { network } from "./helpers/network.ts";
import { openSocket } from "./helpers/socket.ts";
import { webApp } from "./helpers/web-app.ts";

const HOUR_MS = 3_600_000;

/** The value `registerSession` uses, and header values of this file's own. */
const HOOK_SECRET = "callback-header-secret-1f2e";
const HOOK_BEARER = "hook-bearer-token-5e1d9a0c";
const HOOK_SIGNATURE = "hook-signature-value-77c2b4";
/** A password that a caller put in a callback URL (refused, never echoed). */
const URL_PASSWORD = "url-password-secret-3a9f";

const HOOK_HEADERS = {
  "X-Internal-Secret": HOOK_SECRET,
  Authorization: `Bearer ${HOOK_BEARER}`,
  "X-Hook-Signature": HOOK_SIGNATURE,
};

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

/** A header value of another registration of the same id (a conflict). */
const OTHER_HOOK_SECRET = "callback-header-secret-other-4c1b";

/** A registration whose callback target is `url` with `headers`. */
function withTarget(url: string, headers: Record<string, unknown> = HOOK_HEADERS) {
  return { reviewId: "rev-refused", callbackTarget: { url, headers } };
}

/** Registrations the service refuses, each carrying callback header values. */
const BAD_REGISTRATIONS: [string, unknown][] = [
  ["origin not allowed", withTarget("https://elsewhere.test/hook")],
  ["credentials in the URL", withTarget(`https://hook:${URL_PASSWORD}@hooks.test/x`)],
  ["private address", withTarget("https://10.0.0.7/hook")],
  ["plain http", withTarget("http://hooks.test/hook")],
  ["not a URL", withTarget("hooks.test/hook")],
  ["line break in a value", withTarget(HOOKS, { "X-A": `${HOOK_SECRET}\r\nX-B: 1` })],
  ["over-long value", withTarget(HOOKS, { "X-A": HOOK_SECRET.repeat(200) })],
  ["reserved name", withTarget(HOOKS, { "Idempotency-Key": HOOK_SECRET })],
  ["invalid name", withTarget(HOOKS, { "X Bad": HOOK_SECRET })],
  [
    "names that differ in case",
    withTarget(HOOKS, {
      "x-internal-secret": HOOK_SECRET,
      "X-Internal-Secret": HOOK_BEARER,
    }),
  ],
  [
    "too many headers",
    withTarget(
      HOOKS,
      Object.fromEntries(
        Array.from({ length: 21 }, (_, i) => [`X-H${i}`, HOOK_SIGNATURE]),
      ),
    ),
  ],
  ["value of the wrong type", withTarget(HOOKS, { "X-A": 5, "X-B": HOOK_SECRET })],
  ["bad reviewId", { ...withTarget(HOOKS), reviewId: "../etc" }],
];

const TRUNCATED_REGISTRATION = `{"callbackTarget":{"url":"${HOOKS}/x","headers":{"X-A":"${HOOK_SECRET}"`;

/** A batch of one `step-finish` part with `fields` laid over a valid one. */
function stepWith(fields: Record<string, unknown>) {
  const part = { type: "step-finish", id: "p", messageID: "m", ...fields };
  return [
    {
      streamEventType: "kilocode",
      timestamp: "t",
      data: { type: "message.part.updated", properties: { part } },
    },
  ];
}

/** Event batches the service refuses. */
const BAD_EVENT_BATCHES: [string, CallOptions][] = [
  ["malformed", { rawBody: '[{"streamEventType":' }],
  ["not an array", { body: { streamEventType: "heartbeat" } }],
  ["negative cost", { body: stepWith({ cost: -1 }) }],
  ["fractional tokens", { body: stepWith({ tokens: { input: 1.5 } }) }],
  ["huge cost", { body: stepWith({ cost: 1e300 }) }],
  ["1,001 events", { body: Array.from({ length: 1_001 }, () => heartbeat()) }],
  ["over 1 MiB", { body: [output("x".repeat(1_100_000))] }],
  ["bad NDJSON line", { rawBody: "{}\n{", contentType: "application/x-ndjson" }],
  ["text/plain", { rawBody: "[]", contentType: "text/plain" }],
];

/** A request that must be answered with a 4xx. */
interface BadCall {
  label: string;
  method: string;
  path: string;
  options: CallOptions;
}

function put(label: string, options: CallOptions): BadCall {
  return { label, method: "PUT", path: `/sessions/${uniqueId("refused")}`, options };
}

/** Makes each call. @returns those not answered with a 4xx, with their status. */
async function callsNotRefused(calls: readonly BadCall[]): Promise<string[]> {
  const wrong: string[] = [];
  for (const { label, method, path, options } of calls) {
    const { status } = await rec.call(method, path, options);
    if (status < 400 || status >= 500) wrong.push(`${label}: ${status}`);
  }
  return wrong;
}

let rec: LeakRecorder;

beforeEach(() => {
  rec = new LeakRecorder().start();
  rec.track("callback header X-Internal-Secret", HOOK_SECRET);
  rec.track("callback header Authorization", HOOK_BEARER);
  rec.track("callback header X-Hook-Signature", HOOK_SIGNATURE);
  rec.track("callback URL password", URL_PASSWORD);
  rec.track("another callback header value", OTHER_HOOK_SECRET);
});

afterEach(() => {
  vi.restoreAllMocks();
});

interface Session {
  sessionId: string;
  token: string;
}

/** Registers a session with a review, an execution and the callback headers. */
async function newSession(): Promise<Session> {
  const sessionId = uniqueId("leak");
  const reviewId = `rev-${sessionId}`;
  const { status, token } = await rec.register(sessionId, {
    reviewId,
    executionId: `exec-${sessionId}`,
    callbackTarget: { url: `${HOOKS}/status/${reviewId}`, headers: HOOK_HEADERS },
  });
  expect(status).toBe(201);
  return { sessionId, token };
}

function post(session: Session, envelopes: unknown[]) {
  return rec.call("POST", `/sessions/${session.sessionId}/events`, {
    token: session.token,
    body: envelopes,
  });
}

/** Reads the session through every read route, admin ones included. */
async function readAll(sessionId: string) {
  await rec.call("GET", `/sessions/${sessionId}`);
  await rec.call("GET", `/admin/sessions/${sessionId}`, { token: ADMIN_SECRET });
  await rec.call("GET", `/bench/sessions/${sessionId}/stats`, { token: ADMIN_SECRET });
}

function resend(sessionId: string, what: string) {
  return rec.call("POST", `/admin/sessions/${sessionId}/resend`, {
    token: ADMIN_SECRET,
    body: { what },
  });
}

/** Nothing tracked leaked, and every log line is one JSON event. */
function expectNothingLeaked() {
  expect(rec.leaks()).toEqual([]);
  expect(rec.malformedLines()).toEqual([]);
}

describe("no secret leaks", () => {
  it("from a session that succeeds, read through every route", async () => {
    const web = webApp();
    const session = await newSession();

    await post(session, USAGE);
    await rec.call("POST", `/sessions/${session.sessionId}/events`, {
      token: session.token,
      contentType: "application/x-ndjson",
      rawBody: [heartbeat(), complete(0, "main")]
        .map((e) => JSON.stringify(e))
        .join("\n"),
    });
    await fireAlarm(session.sessionId);
    await readAll(session.sessionId);
    await resend(session.sessionId, "all");
    await fireAlarm(session.sessionId);
    await readAll(session.sessionId);

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
    expectNothingLeaked();
  });

  it("from usage that fails: 5xx, a network error, 429, then a 4xx for good", async () => {
    const web = webApp({
      usage: [
        503,
        "network-error",
        { status: 429, headers: { "retry-after": "5" } },
        400,
      ],
    });
    const session = await newSession();
    await post(session, [...USAGE, complete(0)]);

    await fireAlarm(session.sessionId);
    for (let i = 0; i < 3; i++) await advanceAndFire(session.sessionId, HOUR_MS);
    await readAll(session.sessionId);
    await resend(session.sessionId, "usage");
    await fireAlarm(session.sessionId);
    await readAll(session.sessionId);

    expect(web.of("usage")).toHaveLength(5);
    expect(rec.events()).toEqual(
      expect.arrayContaining([
        "usage.retry_scheduled",
        "usage.failed",
        "usage.delivered",
      ]),
    );
    expectNothingLeaked();
  });

  it("from a callback that fails: 500, a network error, 401, then a redirect", async () => {
    const web = webApp({
      callback: [
        500,
        "network-error",
        401,
        { status: 302, headers: { location: "https://elsewhere.test/steal" } },
      ],
    });
    const session = await newSession();
    await post(session, [...USAGE, complete(0)]);

    await fireAlarm(session.sessionId);
    for (let i = 0; i < 2; i++) await advanceAndFire(session.sessionId, HOUR_MS);
    await resend(session.sessionId, "callback");
    await fireAlarm(session.sessionId);
    await resend(session.sessionId, "callback");
    await fireAlarm(session.sessionId);
    await readAll(session.sessionId);

    expect(web.of("callback")).toHaveLength(5);
    expect(rec.events()).toEqual(
      expect.arrayContaining(["callback.retry_scheduled", "callback.failed"]),
    );
    expectNothingLeaked();
  });

  it("from deliveries that time out, pass the gate and give up", async () => {
    const web = webApp();
    network.use(
      http.post(`${WEB}/api/internal/code-review-usage/:reviewId`, async () => {
        await delay(5_000);
        return HttpResponse.json({ success: true });
      }),
    );
    const session = await newSession();
    await post(session, [...USAGE, complete(0)]);

    await fireAlarm(session.sessionId);
    network.use(
      http.post(`${WEB}/api/internal/code-review-usage/:reviewId`, () =>
        HttpResponse.json({ error: "down" }, { status: 503 }),
      ),
    );
    for (let i = 0; i < 11; i++) await advanceAndFire(session.sessionId, 16 * HOUR_MS);
    await readAll(session.sessionId);

    expect(web.of("callback")).toHaveLength(1);
    expect(rec.events()).toEqual(expect.arrayContaining(["usage.gave_up"]));
    expectNothingLeaked();
  });

  it("from sessions ended from outside, interrupted, failed and silent", async () => {
    webApp();
    const byCaller = await newSession();
    const byInterrupt = await newSession();
    const byFatal = await newSession();
    const bySilence = await newSession();
    for (const s of [byCaller, byInterrupt, byFatal, bySilence]) await post(s, USAGE);

    const done = { status: "failed", errorMessage: "runner lost", lastSeenBranch: "fix" };
    await rec.call("POST", `/sessions/${byCaller.sessionId}/complete`, { body: done });
    await rec.call("POST", `/sessions/${byCaller.sessionId}/complete`, { body: done });
    await post(byInterrupt, [interrupted(), complete(0)]);
    await post(byFatal, [fatalError("model provider refused the request")]);
    for (const s of [byCaller, byInterrupt, byFatal]) await fireAlarm(s.sessionId);
    await advanceAndFire(bySilence.sessionId, 700_000);
    for (const s of [byCaller, byInterrupt, byFatal, bySilence])
      await readAll(s.sessionId);

    expect(rec.events()).toEqual(expect.arrayContaining(["session.stale"]));
    expectNothingLeaked();
  });

  it("from refused registrations that carry callback header values", async () => {
    const mine = await newSession();
    const id = mine.sessionId;
    const conflicting = {
      reviewId: `rev-${id}`,
      executionId: `exec-${id}`,
      callbackTarget: {
        url: `${HOOKS}/status/rev-${id}`,
        headers: { ...HOOK_HEADERS, "X-Internal-Secret": OTHER_HOOK_SECRET },
      },
    };
    const calls: BadCall[] = [
      ...BAD_REGISTRATIONS.map(([label, body]) => put(label, { body })),
      {
        label: "conflict",
        method: "PUT",
        path: `/sessions/${id}`,
        options: { body: conflicting },
      },
      put("malformed", { rawBody: TRUNCATED_REGISTRATION }),
      put("text/plain", {
        rawBody: JSON.stringify(withTarget(HOOKS)),
        contentType: "text/plain",
      }),
    ];

    expect(await callsNotRefused(calls)).toEqual([]);
    expectNothingLeaked();
  });

  it("from refused event batches", async () => {
    const session = await newSession();
    const calls = BAD_EVENT_BATCHES.map(([label, options]) => ({
      label,
      method: "POST",
      path: `/sessions/${session.sessionId}/events`,
      options: { token: session.token, ...options },
    }));

    expect(await callsNotRefused(calls)).toEqual([]);
    await readAll(session.sessionId);
    expectNothingLeaked();
  });

  it("from bad bodies and ids on the other routes", async () => {
    const { sessionId } = await newSession();
    const completeCall = (label: string, options: CallOptions): BadCall => ({
      label,
      method: "POST",
      path: `/sessions/${sessionId}/complete`,
      options,
    });
    const resendBody = (label: string, body: unknown): BadCall => ({
      label,
      method: "POST",
      path: `/admin/sessions/${sessionId}/resend`,
      options: { token: ADMIN_SECRET, body },
    });
    const get = (label: string, path: string): BadCall => ({
      label,
      method: "GET",
      path,
      options: {},
    });
    const calls = [
      completeCall("unknown status", { body: { status: "done" } }),
      completeCall("unknown field", { body: { status: "failed", extra: 1 } }),
      completeCall("malformed", { rawBody: "{" }),
      completeCall("over-long message", {
        body: { status: "failed", errorMessage: "e".repeat(3_000) },
      }),
      resendBody("unknown kind", { what: "everything" }),
      resendBody("missing kind", {}),
      resendBody("nothing to send yet", { what: "all" }),
      get("id with a space", "/sessions/bad%20id"),
      get("dot-dot id", "/sessions/.."),
      get("over-long id", `/sessions/${"a".repeat(129)}`),
      get("unknown route", `/sessions/${sessionId}/nothing-here`),
    ];

    expect(await callsNotRefused(calls)).toEqual([]);
    expectNothingLeaked();
  });

  it("from ingest over a WebSocket, good frames and bad", async () => {
    webApp();
    const session = await newSession();
    const other = await newSession();
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
    await readAll(session.sessionId);

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
    expectNothingLeaked();
  });

  /*
   * Each of these costs is at the per-event bound, and their sum passes
   * 2^53 nanodollars, where exact integers end: the session must keep
   * working, and its lines must leak nothing either.
   */
  it("from a session whose summed costs pass 2^53 nanodollars", async () => {
    webApp();
    const session = await newSession();
    const steps = Array.from({ length: 9_224 }, (_, i) =>
      stepFinish({ id: `p${i}`, messageID: "m1", cost: 1_000, tokens: { input: 1 } }),
    );
    const all = [assistantMessage({ id: "m1", cost: 1_000 }), ...steps];
    for (let i = 0; i < all.length; i += 1_000)
      await post(session, all.slice(i, i + 1_000));

    await post(session, [complete(0)]);
    await rec.call("POST", `/sessions/${session.sessionId}/complete`, {
      body: { status: "completed" },
    });
    await advanceAndFire(session.sessionId, 700_000);
    await readAll(session.sessionId);

    expectNothingLeaked();
  });

  it("from wrong credentials on every route", async () => {
    const mine = await newSession();
    const other = await newSession();
    const id = mine.sessionId;
    const credentials: Record<string, string | null> = {
      missing: null,
      wrong: "not-a-token",
      "other session's ingest token": other.token,
      "own ingest token": mine.token,
      "session secret": SESSION_SECRET,
      "admin secret": ADMIN_SECRET,
      "internal secret": INTERNAL_SECRET,
      "session secret plus a byte": `${SESSION_SECRET}x`,
      "admin secret truncated": ADMIN_SECRET.slice(0, -1),
    };
    const SESSION = ["session secret"];
    const INGEST = ["session secret", "own ingest token"];
    const ADMIN = ["admin secret"];
    const routes: [string, string, string[], unknown][] = [
      ["PUT", `/sessions/${id}`, SESSION, {}],
      ["POST", `/sessions/${id}/events`, INGEST, [heartbeat()]],
      ["GET", `/sessions/${id}/ingest`, INGEST, undefined],
      ["POST", `/sessions/${id}/complete`, SESSION, { status: "completed" }],
      ["GET", `/sessions/${id}`, SESSION, undefined],
      ["GET", `/admin/sessions/${id}`, ADMIN, undefined],
      ["POST", `/admin/sessions/${id}/resend`, ADMIN, { what: "all" }],
      ["POST", `/bench/sessions/${id}/events-floor`, INGEST, [heartbeat()]],
      ["GET", `/bench/sessions/${id}/ingest-floor`, INGEST, undefined],
      ["GET", `/bench/sessions/${id}/stats`, ADMIN, undefined],
    ];

    const unexpected: string[] = [];
    for (const [method, path, accepted, body] of routes) {
      for (const [name, token] of Object.entries(credentials)) {
        if (accepted.includes(name)) continue;
        const { status } = await rec.call(method, path, { token, body });
        if (status !== 401) unexpected.push(`${method} ${path} with ${name}: ${status}`);
      }
    }
    const odd = {
      "basic scheme": `Basic ${btoa(`admin:${SESSION_SECRET}`)}`,
      "raw secret without a scheme": SESSION_SECRET,
      "bearer with no token": "Bearer ",
      "two tokens": `Bearer ${mine.token} ${SESSION_SECRET}`,
    };
    for (const [name, authorization] of Object.entries(odd)) {
      const { status } = await rec.fetch("GET", `/sessions/${id}`, { authorization });
      if (status !== 401) unexpected.push(`GET with ${name}: ${status}`);
    }
    await rec.call("GET", `/sessions/${uniqueId("never")}`);
    await rec.call("GET", `/admin/sessions/${uniqueId("never")}`, {
      token: ADMIN_SECRET,
    });
    await rec.call("GET", `/sessions/${id}/nothing-here`);

    expect(unexpected).toEqual([]);
    expectNothingLeaked();
  });

  /*
   * A header value that is not ASCII would make workerd itself print a
   * warning quoting it on every delivery: a line no spy here can see. So
   * registration refuses it, without repeating it.
   */
  it("refuses a callback header value that is not ASCII, without repeating it", async () => {
    const value = "sécret-🔑-token-value";
    const { status, text } = await rec.call("PUT", `/sessions/${uniqueId("ascii")}`, {
      body: {
        callbackTarget: { url: `${HOOKS}/x`, headers: { "X-Internal-Secret": value } },
      },
    });

    expect(status).toBe(400);
    expect(text).toMatch(/printable ASCII/);
    expect(text).not.toContain("token-value");
    expectNothingLeaked();
  });
});
