/**
 * Bodies the service reads itself (PUT, complete, resend) are strict, and
 * every refusal is a JSON error with a stable code.
 */
import { describe, expect, it } from "vitest";
import {
  ADMIN_SECRET,
  call,
  callJson,
  getSession,
  postEvents,
  registerSession,
  uniqueId,
} from "./helpers/api.ts";
import { complete } from "./helpers/envelopes.ts";

function put(sessionId: string, body: unknown) {
  return callJson("PUT", `/sessions/${sessionId}`, { body });
}

function completeSession(sessionId: string, body: unknown) {
  return callJson("POST", `/sessions/${sessionId}/complete`, { body });
}

function resend(sessionId: string, body: unknown) {
  return callJson("POST", `/admin/sessions/${sessionId}/resend`, {
    token: ADMIN_SECRET,
    body,
  });
}

/** Matches a 400 whose details include each of `paths`. */
function invalidAt(...paths: string[]) {
  return {
    error: {
      code: "invalid_request",
      details: expect.arrayContaining(
        paths.map((path) => expect.objectContaining({ path }) as unknown),
      ) as unknown,
    },
  };
}

describe("PUT /sessions/:id", () => {
  it("refuses an unknown field", async () => {
    const { status, body } = await put(uniqueId(), { reviewId: "r1", extra: true });

    expect(status).toBe(400);
    expect(body).toMatchObject(invalidAt("extra"));
  });

  it("refuses values of the wrong type, listing each path", async () => {
    const { status, body } = await put(uniqueId(), {
      reviewId: 5,
      callbackTarget: { url: 3, headers: { "X-Internal-Secret": 1 } },
    });

    expect(status).toBe(400);
    expect(body).toMatchObject(
      invalidAt(
        "reviewId",
        "callbackTarget.url",
        "callbackTarget.headers.X-Internal-Secret",
      ),
    );
  });

  it("refuses a body that is not an object", async () => {
    const { status, body } = await put(uniqueId(), ["reviewId"]);

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: "invalid_request" } });
  });

  it("refuses malformed JSON", async () => {
    const response = await call("PUT", `/sessions/${uniqueId()}`, { rawBody: "{" });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_request" } });
  });

  it("refuses a body that is not JSON", async () => {
    const response = await call("PUT", `/sessions/${uniqueId()}`, {
      rawBody: "reviewId=r1",
      contentType: "application/x-www-form-urlencoded",
    });

    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({
      error: { code: "unsupported_media_type" },
    });
  });

  it("refuses a callback header that the service sets itself", async () => {
    const { status, body } = await put(uniqueId(), {
      callbackTarget: { url: "https://hooks.test/x", headers: { "Content-Type": "x" } },
    });

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: "invalid_request" } });
  });

  it("refuses a callback header value with a line break", async () => {
    const { status, body } = await put(uniqueId(), {
      callbackTarget: { url: "https://hooks.test/x", headers: { "X-A": "a\r\nHost: b" } },
    });

    expect(status).toBe(400);
    expect(body).toMatchObject(invalidAt("callbackTarget.headers.X-A"));
  });

  it("registers a session with an empty body, its execution id its own", async () => {
    const sessionId = uniqueId();
    const response = await call("PUT", `/sessions/${sessionId}`);

    const view = await getSession(sessionId);

    expect(response.status).toBe(201);
    expect(view).toMatchObject({
      sessionId,
      executionId: sessionId,
      reviewId: null,
      callbackTarget: null,
      status: "running",
    });
  });

  it("answers an identical repeat with 200 and the same token", async () => {
    const sessionId = uniqueId();
    const registration = { reviewId: "r1", executionId: "e1" };
    const first = await put(sessionId, registration);

    const again = await put(sessionId, registration);

    expect(first.status).toBe(201);
    expect(again).toEqual({ status: 200, body: first.body });
  });

  it("treats callback headers in another order as the same registration", async () => {
    const sessionId = uniqueId();
    const url = "https://hooks.test/status";
    await put(sessionId, { callbackTarget: { url, headers: { A: "1", B: "2" } } });

    const again = await put(sessionId, {
      callbackTarget: { url, headers: { B: "2", A: "1" } },
    });

    expect(again.status).toBe(200);
  });

  it("answers a different body with 409 and keeps the first", async () => {
    const sessionId = uniqueId();
    await put(sessionId, { reviewId: "r1" });

    const { status, body } = await put(sessionId, { reviewId: "r2" });

    expect(status).toBe(409);
    expect(body).toMatchObject({ error: { code: "conflict" } });
    expect((await getSession(sessionId)).reviewId).toBe("r1");
  });
});

describe("POST /sessions/:id/complete", () => {
  it("answers 404 for a session never registered", async () => {
    const { status, body } = await completeSession(uniqueId(), { status: "completed" });

    expect(status).toBe(404);
    expect(body).toMatchObject({ error: { code: "not_found" } });
  });

  it("refuses an unknown field", async () => {
    const { sessionId } = await registerSession();

    const { status, body } = await completeSession(sessionId, {
      status: "failed",
      exitCode: 1,
    });

    expect(status).toBe(400);
    expect(body).toMatchObject(invalidAt("exitCode"));
  });

  it("refuses a status outside completed, failed and interrupted", async () => {
    const { sessionId } = await registerSession();

    const { status, body } = await completeSession(sessionId, { status: "done" });

    expect(status).toBe(400);
    expect(body).toMatchObject(invalidAt("status"));
  });

  it("ends the session with 202, then answers 200 and keeps the first", async () => {
    const { sessionId } = await registerSession();

    const first = await completeSession(sessionId, { status: "interrupted" });
    const second = await completeSession(sessionId, { status: "completed" });

    expect(first).toEqual({
      status: 202,
      body: { sessionId, status: "interrupted", ended: true },
    });
    expect(second).toEqual({
      status: 200,
      body: { sessionId, status: "interrupted", ended: false },
    });
  });

  it("answers 200 when the stream already ended the session", async () => {
    const session = await registerSession();
    await postEvents(session, [complete(2)]);

    const { status, body } = await completeSession(session.sessionId, {
      status: "completed",
    });

    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "failed", ended: false });
  });
});

describe("POST /admin/sessions/:id/resend", () => {
  it("answers 409 while the session is running", async () => {
    const { sessionId } = await registerSession();

    const { status, body } = await resend(sessionId, { what: "all" });

    expect(status).toBe(409);
    expect(body).toMatchObject({ error: { code: "conflict" } });
  });

  it("answers 409 for usage when the session has no reviewId", async () => {
    const session = await registerSession({ reviewId: undefined });
    await postEvents(session, [complete(0)]);

    const { status } = await resend(session.sessionId, { what: "usage" });

    expect(status).toBe(409);
  });

  it("answers 409 for the callback when the session has no callbackTarget", async () => {
    const session = await registerSession({ callbackTarget: undefined });
    await postEvents(session, [complete(0)]);

    const { status } = await resend(session.sessionId, { what: "callback" });

    expect(status).toBe(409);
  });

  it("answers 409 for all when neither applies", async () => {
    const session = await registerSession({
      reviewId: undefined,
      callbackTarget: undefined,
    });
    await postEvents(session, [complete(0)]);

    const { status } = await resend(session.sessionId, { what: "all" });

    expect(status).toBe(409);
  });

  it("refuses a what outside usage, callback and all", async () => {
    const { sessionId } = await registerSession();

    const { status, body } = await resend(sessionId, { what: "everything" });

    expect(status).toBe(400);
    expect(body).toMatchObject(invalidAt("what"));
  });

  it("answers 404 for a session never registered", async () => {
    const { status } = await resend(uniqueId(), { what: "all" });

    expect(status).toBe(404);
  });
});

describe("validation answers", () => {
  it("name the field and rule but never repeat the value received", async () => {
    const value = "leaked-value-3b9f";
    const bodies = [
      { reviewId: `${value} with spaces` },
      { executionId: 42, kiloSessionId: [value] },
      {
        callbackTarget: {
          url: "https://hooks.test/x",
          headers: { "X-Key": `${value}\n` },
        },
      },
    ];

    for (const body of bodies) {
      const { status, body: answer } = await callJson("PUT", `/sessions/${uniqueId()}`, {
        body,
      });
      expect(status).toBe(400);
      expect(JSON.stringify(answer)).not.toContain(value);
    }
  });

  it("calls an unknown field unknown", async () => {
    const { body } = await callJson("PUT", `/sessions/${uniqueId()}`, {
      body: { reviewID: "r" },
    });

    expect(body).toMatchObject({
      error: { details: [{ path: "reviewID", message: "unknown field" }] },
    });
  });
});
