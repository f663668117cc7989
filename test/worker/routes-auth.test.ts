/**
 * Who may call which route: the session secret, the per-session ingest
 * token and the admin secret, each refused where it does not belong.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Registered } from "./helpers/api.ts";
import {
  ADMIN_SECRET,
  SESSION_SECRET,
  call,
  callJson,
  registerSession,
  uniqueId,
} from "./helpers/api.ts";
import { heartbeat } from "./helpers/envelopes.ts";
import { deriveIngestToken } from "./helpers/ingest-token.ts";

interface Route {
  name: string;
  method: string;
  path: (sessionId: string) => string;
  body?: unknown;
}

const PUT: Route = {
  name: "PUT session",
  method: "PUT",
  path: (id) => `/sessions/${id}`,
};
const EVENTS: Route = {
  name: "POST events",
  method: "POST",
  path: (id) => `/sessions/${id}/events`,
  body: [heartbeat()],
};
const COMPLETE: Route = {
  name: "POST complete",
  method: "POST",
  path: (id) => `/sessions/${id}/complete`,
  body: { status: "completed" },
};
const GET: Route = {
  name: "GET session",
  method: "GET",
  path: (id) => `/sessions/${id}`,
};
const ADMIN_GET: Route = {
  name: "GET admin session",
  method: "GET",
  path: (id) => `/admin/sessions/${id}`,
};
const RESEND: Route = {
  name: "POST admin resend",
  method: "POST",
  path: (id) => `/admin/sessions/${id}/resend`,
  body: { what: "all" },
};
const SOCKET: Route = {
  name: "GET ingest socket",
  method: "GET",
  path: (id) => `/sessions/${id}/ingest`,
};
const BENCH_ROUTES: Route[] = [
  {
    name: "POST bench events-floor",
    method: "POST",
    path: (id) => `/bench/sessions/${id}/events-floor`,
    body: [heartbeat()],
  },
  {
    name: "GET bench ingest-floor",
    method: "GET",
    path: (id) => `/bench/sessions/${id}/ingest-floor`,
  },
  { name: "GET bench stats", method: "GET", path: (id) => `/bench/sessions/${id}/stats` },
];
const ALL_ROUTES = [
  PUT,
  EVENTS,
  SOCKET,
  COMPLETE,
  GET,
  ADMIN_GET,
  RESEND,
  ...BENCH_ROUTES,
];

const UNAUTHORIZED = {
  error: { code: "unauthorized", message: expect.any(String) as unknown },
};

function callRoute(route: Route, session: Registered, token: string | null) {
  return callJson(route.method, route.path(session.sessionId), {
    token,
    body: route.body,
  });
}

/** Asks for the WebSocket ingest of `sessionId` with `token`. */
function openSocket(sessionId: string, token: string) {
  const request = new Request(`https://session.test/sessions/${sessionId}/ingest`, {
    headers: { upgrade: "websocket", authorization: `Bearer ${token}` },
  });
  return exports.default.fetch(request);
}

describe("missing or wrong credentials", () => {
  it.each(ALL_ROUTES)("refuses $name without a bearer token", async (route) => {
    const session = await registerSession();

    const { status, body } = await callRoute(route, session, null);

    expect(status).toBe(401);
    expect(body).toEqual(UNAUTHORIZED);
  });

  it.each(ALL_ROUTES)("refuses $name with a wrong bearer token", async (route) => {
    const session = await registerSession();

    const { status, body } = await callRoute(route, session, "not-the-secret");

    expect(status).toBe(401);
    expect(body).toEqual(UNAUTHORIZED);
  });

  it("refuses a secret sent with another scheme than Bearer", async () => {
    const session = await registerSession();
    const request = new Request(`https://session.test/sessions/${session.sessionId}`, {
      headers: { authorization: `Basic ${SESSION_SECRET}` },
    });

    const response = await exports.default.fetch(request);

    expect(response.status).toBe(401);
  });

  it("never echoes the token it refused", async () => {
    const session = await registerSession();
    const token = "wrong-token-with-a-marker-4a7c";

    const response = await call("GET", `/sessions/${session.sessionId}`, { token });

    expect(await response.text()).not.toContain("4a7c");
  });

  it("answers 401 before telling whether a session exists", async () => {
    const { status } = await callJson("GET", `/sessions/${uniqueId()}`, {
      token: "not-the-secret",
    });

    expect(status).toBe(401);
  });
});

describe("the per-session ingest token", () => {
  it("is base64url(HMAC-SHA256(SESSION_API_SECRET, ingest:id)) without padding", async () => {
    const session = await registerSession();

    const expected = await deriveIngestToken(SESSION_SECRET, session.sessionId);

    expect(session.ingestToken).toBe(expected);
    expect(session.ingestToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("posts events to its own session", async () => {
    const session = await registerSession();

    const { status } = await callRoute(EVENTS, session, session.ingestToken);

    expect(status).toBe(202);
  });

  it("is refused on another session's events", async () => {
    const mine = await registerSession();
    const other = await registerSession();

    const { status, body } = await callRoute(EVENTS, other, mine.ingestToken);

    expect(status).toBe(401);
    expect(body).toEqual(UNAUTHORIZED);
  });

  it("opens its own session's WebSocket ingest", async () => {
    const session = await registerSession();

    const response = await openSocket(session.sessionId, session.ingestToken);

    expect(response.status).toBe(101);
    response.webSocket?.accept();
    response.webSocket?.close(1000, "done");
  });

  it("is refused on another session's WebSocket ingest", async () => {
    const mine = await registerSession();
    const other = await registerSession();

    const response = await openSocket(other.sessionId, mine.ingestToken);

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(UNAUTHORIZED);
  });

  it.each([PUT, COMPLETE, GET, ADMIN_GET, RESEND])(
    "is refused on $name of its own session",
    async (route) => {
      const session = await registerSession();

      const { status, body } = await callRoute(route, session, session.ingestToken);

      expect(status).toBe(401);
      expect(body).toEqual(UNAUTHORIZED);
    },
  );
});

describe("the session and admin secrets", () => {
  it("accepts the session secret for ingest too", async () => {
    const session = await registerSession();

    const { status, body } = await callRoute(EVENTS, session, SESSION_SECRET);

    expect(status).toBe(202);
    expect(body).toEqual({ accepted: 0, ignored: 1 });
  });

  it.each([PUT, EVENTS, SOCKET, COMPLETE, GET])(
    "refuses the admin secret on $name",
    async (route) => {
      const session = await registerSession();

      const { status, body } = await callRoute(route, session, ADMIN_SECRET);

      expect(status).toBe(401);
      expect(body).toEqual(UNAUTHORIZED);
    },
  );

  it.each([ADMIN_GET, RESEND])("refuses the session secret on $name", async (route) => {
    const session = await registerSession();

    const { status, body } = await callRoute(route, session, SESSION_SECRET);

    expect(status).toBe(401);
    expect(body).toEqual(UNAUTHORIZED);
  });

  it("serves the admin view with the admin secret", async () => {
    const session = await registerSession();

    const { status, body } = await callRoute(ADMIN_GET, session, ADMIN_SECRET);

    expect(status).toBe(200);
    expect(body).toMatchObject({ sessionId: session.sessionId, attempts: [] });
  });

  it("serves GET /health without credentials", async () => {
    const { status } = await callJson("GET", "/health", { token: null });

    expect(status).toBe(200);
  });
});
