/**
 * A corpus of bad requests against every route. Each is answered with the
 * right 4xx and a JSON error, and leaves the session exactly as it was.
 */
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Registered } from "./helpers/api.ts";
import {
  ADMIN_SECRET,
  SESSION_SECRET,
  getSession,
  postEvents,
  registerSession,
} from "./helpers/api.ts";
import { assistantMessage, stepFinish } from "./helpers/envelopes.ts";
import { ONE_STEP } from "./helpers/flows.ts";

interface BadRequest {
  name: string;
  method: string;
  /** `{id}` is replaced by the session's id. */
  path: string;
  /** `{ingest}`, `{other}`, `{session}` and `{admin}` name tokens. */
  token?: string | null;
  contentType?: string | null;
  body?: string;
  status: number;
  code: string;
}

const json = (value: unknown) => JSON.stringify(value);
const deep = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const step = (fields: Record<string, unknown>) => [
  {
    streamEventType: "kilocode",
    timestamp: "2026-01-01T00:00:00Z",
    data: {
      type: "message.part.updated",
      properties: {
        part: {
          id: "p-bad",
          messageID: "m-bad",
          type: "step-finish",
          cost: 0,
          ...fields,
        },
      },
    },
  },
];
const events = (
  path = "/sessions/{id}/events",
): Omit<BadRequest, "name" | "body" | "status" | "code"> => ({
  method: "POST",
  path,
  token: "{ingest}",
  contentType: "application/json",
});

const CORPUS: BadRequest[] = [
  {
    name: "malformed JSON",
    ...events(),
    body: "[{",
    status: 400,
    code: "invalid_request",
  },
  {
    name: "an object, not an array",
    ...events(),
    body: json({}),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "an envelope without type",
    ...events(),
    body: json([{ data: {} }]),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "negative tokens",
    ...events(),
    body: json(step({ tokens: { input: -1 } })),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "fractional tokens",
    ...events(),
    body: json(step({ tokens: { output: 1.5 } })),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "tokens as a string",
    ...events(),
    body: json(step({ tokens: { input: "10" } })),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "NaN-like cost",
    ...events(),
    body: json(step({ cost: "NaN" })),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "negative cost",
    ...events(),
    body: json(step({ cost: -0.01 })),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "astronomical cost",
    ...events(),
    body: json(step({ cost: 1e300 })),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "astronomical tokens",
    ...events(),
    body: json(step({ tokens: { input: 1e20 } })),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "a step without its message id",
    ...events(),
    body: json(step({ messageID: 7 })),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "complete without exit code",
    ...events(),
    body: json([{ streamEventType: "complete", data: {} }]),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "an over-long id field",
    ...events(),
    body: json(step({ id: "x".repeat(600) })),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "deep nesting",
    ...events(),
    body: deep(5_000),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "1,001 events",
    ...events(),
    body: json(Array(1_001).fill({ streamEventType: "heartbeat" })),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "a body over 1 MiB",
    ...events(),
    body: json([{ streamEventType: "output", data: "x".repeat(1_100_000) }]),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "text/plain",
    ...events(),
    contentType: "text/plain",
    body: "[]",
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "no content type",
    ...events(),
    contentType: null,
    body: "[]",
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "no token",
    ...events(),
    token: null,
    body: "[]",
    status: 401,
    code: "unauthorized",
  },
  {
    name: "a wrong token",
    ...events(),
    token: "nope",
    body: "[]",
    status: 401,
    code: "unauthorized",
  },
  {
    name: "another session's token",
    ...events(),
    token: "{other}",
    body: "[]",
    status: 401,
    code: "unauthorized",
  },
  {
    name: "the admin secret for ingest",
    ...events(),
    token: "{admin}",
    body: "[]",
    status: 401,
    code: "unauthorized",
  },
  {
    name: "an id of 129 characters",
    ...events(`/sessions/${"a".repeat(129)}/events`),
    body: "[]",
    status: 400,
    code: "invalid_request",
  },
  {
    // The URL parser resolves an encoded `..` away: no route is left.
    name: "an id that is an encoded ..",
    ...events("/sessions/%2e%2e/events"),
    body: "[]",
    status: 404,
    code: "not_found",
  },
  {
    name: "a review id that is ..",
    method: "PUT",
    path: "/sessions/{new}",
    token: "{session}",
    contentType: "application/json",
    body: json({ reviewId: ".." }),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "an id with an encoded slash",
    ...events("/sessions/a%2Fb/events"),
    body: "[]",
    status: 400,
    code: "invalid_request",
  },
  {
    name: "an id with a space",
    ...events("/sessions/a%20b/events"),
    body: "[]",
    status: 400,
    code: "invalid_request",
  },
  {
    name: "PUT again with another body",
    method: "PUT",
    path: "/sessions/{id}",
    token: "{session}",
    contentType: "application/json",
    body: json({ reviewId: "other" }),
    status: 409,
    code: "conflict",
  },
  {
    name: "PUT with an unknown field",
    method: "PUT",
    path: "/sessions/{id}",
    token: "{session}",
    contentType: "application/json",
    body: json({ reviewID: "r" }),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "PUT with the ingest token",
    method: "PUT",
    path: "/sessions/{id}",
    token: "{ingest}",
    contentType: "application/json",
    body: "{}",
    status: 401,
    code: "unauthorized",
  },
  {
    name: "GET with the admin secret",
    method: "GET",
    path: "/sessions/{id}",
    token: "{admin}",
    status: 401,
    code: "unauthorized",
  },
  {
    name: "admin GET with the session secret",
    method: "GET",
    path: "/admin/sessions/{id}",
    token: "{session}",
    status: 401,
    code: "unauthorized",
  },
  {
    name: "resend with the session secret",
    method: "POST",
    path: "/admin/sessions/{id}/resend",
    token: "{session}",
    contentType: "application/json",
    body: json({ what: "all" }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "resend of something else",
    method: "POST",
    path: "/admin/sessions/{id}/resend",
    token: "{admin}",
    contentType: "application/json",
    body: json({ what: "everything" }),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "complete with a bad status",
    method: "POST",
    path: "/sessions/{id}/complete",
    token: "{session}",
    contentType: "application/json",
    body: json({ status: "done" }),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "complete with an unknown field",
    method: "POST",
    path: "/sessions/{id}/complete",
    token: "{session}",
    contentType: "application/json",
    body: json({ status: "failed", reason: "x" }),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "complete with an error message as a number",
    method: "POST",
    path: "/sessions/{id}/complete",
    token: "{session}",
    contentType: "application/json",
    body: json({ status: "failed", errorMessage: 5 }),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "an unknown route",
    method: "DELETE",
    path: "/sessions/{id}",
    token: "{session}",
    status: 404,
    code: "not_found",
  },
];

const callbackUrl = (url: string): BadRequest => ({
  name: `a callback to ${url}`,
  method: "PUT",
  path: "/sessions/{new}",
  token: "{session}",
  contentType: "application/json",
  body: json({ callbackTarget: { url } }),
  status: 400,
  code: "invalid_request",
});

const CALLBACK_URLS = [
  "https://elsewhere.test/hook",
  "http://hooks.test/hook",
  "https://user:pass@hooks.test/hook",
  "http://127.0.0.1:8080/hook",
  "https://10.0.0.7/hook",
  "https://192.168.1.1/hook",
  "https://169.254.169.254/latest",
  "https://[::1]/hook",
  "not a url",
].map(callbackUrl);

let session: Registered;
let other: Registered;
let baseline: unknown;

function tokenFor(name: string | null | undefined): string | null {
  const tokens: Record<string, string> = {
    "{ingest}": session.ingestToken,
    "{other}": other.ingestToken,
    "{session}": SESSION_SECRET,
    "{admin}": ADMIN_SECRET,
  };
  return name ? (tokens[name] ?? name) : null;
}

async function send(bad: BadRequest): Promise<Response> {
  const headers = new Headers();
  const token = tokenFor(bad.token);
  if (token) headers.set("authorization", `Bearer ${token}`);
  if (bad.contentType) headers.set("content-type", bad.contentType);
  const path = bad.path
    .replace("{id}", session.sessionId)
    .replace("{new}", `fresh-${Date.now()}`);
  return exports.default.fetch(
    new Request(`https://session.test${path}`, {
      method: bad.method,
      headers,
      body: bad.body,
    }),
  );
}

describe("bad input corpus", () => {
  beforeAll(async () => {
    session = await registerSession({}, "corpus-session");
    other = await registerSession({}, "corpus-other");
    await postEvents(session, [
      ...ONE_STEP,
      assistantMessage({ id: "m2", cost: 0.002, tokens: { output: 9 } }),
      stepFinish({ id: "p2", messageID: "m2", cost: 0.002, tokens: { output: 9 } }),
    ]);
    baseline = await getSession(session.sessionId, true);
  });

  it.each([...CORPUS, ...CALLBACK_URLS])(
    "answers $name with $status $code",
    async (bad) => {
      const response = await send(bad);

      expect(response.status).toBe(bad.status);
      const body = await response.json<{ error: { code: string; message: string } }>();
      expect(body.error.code).toBe(bad.code);
      expect(body.error.message.length).toBeGreaterThan(0);
      expect(await getSession(session.sessionId, true)).toEqual(baseline);
    },
  );

  it("keeps serving afterwards", async () => {
    expect((await exports.default.fetch("https://session.test/health")).status).toBe(200);
    const { status, body } = await postEvents(session, [
      stepFinish({ id: "p3", messageID: "m2", tokens: { output: 1 } }),
    ]);
    expect(status).toBe(202);
    expect(body).toEqual({ accepted: 1, ignored: 0 });
    expect((await getSession(session.sessionId)).usage.totals.output).toBe(210);
  });
});
