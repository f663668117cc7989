/**
 * What GET shows of a session (never a callback header's value), and the
 * answers for routes that do not exist.
 */
import { describe, expect, it } from "vitest";
import {
  ADMIN_SECRET,
  HOOKS,
  call,
  callJson,
  getSession,
  postEvents,
  registerSession,
  uniqueId,
} from "./helpers/api.ts";
import { complete } from "./helpers/envelopes.ts";

describe("GET and unknown routes", () => {
  const headerValue = "callback-header-secret-1f2e";

  it("shows the callback's header names but never their values", async () => {
    const { sessionId } = await registerSession();

    const response = await call("GET", `/sessions/${sessionId}`);
    const text = await response.text();

    expect(text).not.toContain(headerValue);
    expect(JSON.parse(text)).toMatchObject({
      callbackTarget: { headerNames: ["X-Internal-Secret"] },
    });
  });

  it("keeps header values out of the admin view too", async () => {
    const session = await registerSession();
    await postEvents(session, [complete(0)]);

    const response = await call("GET", `/admin/sessions/${session.sessionId}`, {
      token: ADMIN_SECRET,
    });

    expect(response.status).toBe(200);
    expect(await response.text()).not.toContain(headerValue);
  });

  it("answers 404 for a session never registered", async () => {
    const { status, body } = await callJson("GET", `/sessions/${uniqueId()}`);

    expect(status).toBe(404);
    expect(body).toMatchObject({ error: { code: "not_found" } });
  });

  it.each([
    ["GET", "/"],
    ["GET", "/sessions"],
    ["DELETE", "/sessions/s-1"],
    ["POST", "/sessions/s-1/unknown"],
    ["PUT", "/admin/sessions/s-1"],
  ])("answers %s %s with 404 not_found", async (method, path) => {
    const { status, body } = await callJson(method, path);

    expect(status).toBe(404);
    expect(body).toEqual({
      error: { code: "not_found", message: `no route for ${method} ${path}` },
    });
  });

  it("answers GET /health with 200", async () => {
    const { status, body } = await callJson("GET", "/health", { token: null });

    expect(status).toBe(200);
    expect(body).toEqual({ ok: true });
  });
});

describe("callback URLs in views", () => {
  it("are shown without their query, which may carry a token", async () => {
    const url = `${HOOKS}/status/x?token=query-secret-77`;
    const { sessionId } = await registerSession({ callbackTarget: { url } });

    for (const admin of [false, true]) {
      const view = await getSession(sessionId, admin);
      expect(view.callbackTarget?.url).toBe(`${HOOKS}/status/x?…`);
      expect(JSON.stringify(view)).not.toContain("query-secret-77");
    }
  });
});
