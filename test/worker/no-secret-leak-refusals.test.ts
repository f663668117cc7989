/**
 * Issue 5, "No secret leaks", refused input: registrations that carry callback
 * header values, event batches, bad bodies and ids, wrong credentials on every
 * route and a header value that is not ASCII. Each must be answered with a
 * 4xx, and no log line or answer may hold a secret, an ingest token or a
 * callback header value; every log line is one JSON object with an `event`
 * name. Whole sessions are in no-secret-leak-sessions.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { CallOptions } from "./helpers/api.ts";
import {
  ADMIN_SECRET,
  HOOKS,
  INTERNAL_SECRET,
  SESSION_SECRET,
  uniqueId,
} from "./helpers/api.ts";
import { heartbeat } from "./helpers/envelopes.ts";
import {
  BAD_EVENT_BATCHES,
  BAD_REGISTRATIONS,
  TRUNCATED_REGISTRATION,
  withTarget,
} from "./helpers/leak-bad-inputs.ts";
import type { LeakRecorder } from "./helpers/leak-recorder.ts";
import {
  HOOK_HEADERS,
  OTHER_HOOK_SECRET,
  expectNothingLeaked,
  newSession,
  readAll,
  useLeakRecorder,
} from "./helpers/leak-session.ts";

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
async function callsNotRefused(
  rec: LeakRecorder,
  calls: readonly BadCall[],
): Promise<string[]> {
  const wrong: string[] = [];
  for (const { label, method, path, options } of calls) {
    const { status } = await rec.call(method, path, options);
    if (status < 400 || status >= 500) wrong.push(`${label}: ${status}`);
  }
  return wrong;
}

const recorder = useLeakRecorder();

describe("no secret leaks", () => {
  it("from refused registrations that carry callback header values", async () => {
    const rec = recorder();
    const mine = await newSession(rec);
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

    expect(await callsNotRefused(rec, calls)).toEqual([]);
    expectNothingLeaked(rec);
  });

  it("from refused event batches", async () => {
    const rec = recorder();
    const session = await newSession(rec);
    const calls = BAD_EVENT_BATCHES.map(([label, options]) => ({
      label,
      method: "POST",
      path: `/sessions/${session.sessionId}/events`,
      options: { token: session.token, ...options },
    }));

    expect(await callsNotRefused(rec, calls)).toEqual([]);
    await readAll(rec, session.sessionId);
    expectNothingLeaked(rec);
  });

  it("from bad bodies and ids on the other routes", async () => {
    const rec = recorder();
    const { sessionId } = await newSession(rec);
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

    expect(await callsNotRefused(rec, calls)).toEqual([]);
    expectNothingLeaked(rec);
  });

  it("from wrong credentials on every route", async () => {
    const rec = recorder();
    const mine = await newSession(rec);
    const other = await newSession(rec);
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
    expectNothingLeaked(rec);
  });

  /*
   * A header value that is not ASCII would make workerd itself print a
   * warning quoting it on every delivery: a line no spy here can see. So
   * registration refuses it, without repeating it.
   */
  it("refuses a callback header value that is not ASCII, without repeating it", async () => {
    const rec = recorder();
    const value = "sécret-🔑-token-value";
    const { status, text } = await rec.call("PUT", `/sessions/${uniqueId("ascii")}`, {
      body: {
        callbackTarget: { url: `${HOOKS}/x`, headers: { "X-Internal-Secret": value } },
      },
    });

    expect(status).toBe(400);
    expect(text).toMatch(/printable ASCII/);
    expect(text).not.toContain("token-value");
    expectNothingLeaked(rec);
  });
});
