import { describe, expect, it } from "vitest";
import { callJson, getSession, postEvents, registerSession } from "./helpers/api.ts";
import { alarmAt, fireAlarm } from "./helpers/alarms.ts";
import {
  assistantMessage,
  complete,
  fatalError,
  interrupted,
} from "./helpers/envelopes.ts";
import { ONE_STEP } from "./helpers/flows.ts";
import { webApp } from "./helpers/web-app.ts";

async function callbackAfter(envelopes: unknown[], registration = {}) {
  const web = webApp();
  const session = await registerSession(registration);
  await postEvents(session, envelopes);
  await fireAlarm(session.sessionId);
  return { session, callback: web.of("callback")[0] };
}

describe("terminal signals", () => {
  it("reports the full callback payload of a completed session", async () => {
    const { session, callback } = await callbackAfter(
      [...ONE_STEP, complete(0, "fix/bug")],
      {
        executionId: "exec-7",
      },
    );

    expect(callback?.body).toEqual({
      sessionId: session.sessionId,
      cloudAgentSessionId: session.sessionId,
      executionId: "exec-7",
      status: "completed",
      lastSeenBranch: "fix/bug",
      kiloSessionId: "ses_root",
    });
    expect(callback?.headers["x-internal-secret"]).toBe("callback-header-secret-1f2e");
    expect(callback?.headers["idempotency-key"]).toBeTruthy();
  });

  it("defaults executionId to the session id", async () => {
    const { session, callback } = await callbackAfter([complete(0)]);
    expect(callback?.body.executionId).toBe(session.sessionId);
  });

  it("prefers the registered kiloSessionId over the stream's root session", async () => {
    const { callback } = await callbackAfter([...ONE_STEP, complete(0)], {
      kiloSessionId: "ses_registered",
    });
    expect(callback?.body.kiloSessionId).toBe("ses_registered");
  });

  it("takes the root session from the earliest message, not a sub-agent's", async () => {
    const { callback } = await callbackAfter([
      assistantMessage({ id: "m-sub", sessionID: "ses_sub", created: 2_000 }),
      assistantMessage({ id: "m-root", sessionID: "ses_main", created: 1_000 }),
      complete(0),
    ]);
    expect(callback?.body.kiloSessionId).toBe("ses_main");
  });

  it("ends as interrupted on an interrupted envelope", async () => {
    const { callback } = await callbackAfter([interrupted()]);
    expect(callback?.body.status).toBe("interrupted");
  });

  it("ends as failed on a fatal error envelope, with its message", async () => {
    const { callback } = await callbackAfter([fatalError("container ran out of memory")]);
    expect(callback?.body).toMatchObject({
      status: "failed",
      errorMessage: "container ran out of memory",
    });
  });

  it("keeps the first terminal signal and ignores later ones", async () => {
    const session = await registerSession();
    const { body } = await postEvents(session, [complete(0), interrupted(), complete(3)]);
    expect(body).toEqual({ accepted: 1, ignored: 2 });

    const outside = await callJson("POST", `/sessions/${session.sessionId}/complete`, {
      body: { status: "failed", errorMessage: "too late" },
    });
    expect(outside.status).toBe(200);
    expect((await getSession(session.sessionId)).status).toBe("completed");
  });

  it("ends the session from outside with /complete", async () => {
    const web = webApp();
    const session = await registerSession();
    const { status } = await callJson("POST", `/sessions/${session.sessionId}/complete`, {
      body: {
        status: "failed",
        errorMessage: "orchestrator gave up",
        lastSeenBranch: "wip",
      },
    });
    expect(status).toBe(202);

    await fireAlarm(session.sessionId);
    expect(web.of("callback")[0]?.body).toMatchObject({
      status: "failed",
      errorMessage: "orchestrator gave up",
      lastSeenBranch: "wip",
    });
  });

  it("arms the alarm for now when the session ends", async () => {
    const session = await registerSession();
    const before = Date.now();
    await postEvents(session, [complete(0)]);

    const at = await alarmAt(session.sessionId);
    expect(at).not.toBeNull();
    expect(at ?? Infinity).toBeLessThanOrEqual(Date.now());
    expect(at ?? 0).toBeGreaterThanOrEqual(before - 1);
  });
});
