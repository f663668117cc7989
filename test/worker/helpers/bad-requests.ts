/**
 * The corpus of bad requests: every route, each with the status and error
 * code it must be answered with. `{id}` (the corpus session), `{new}` (a
 * fresh id) and the token names are filled in by the test that sends them.
 */
export interface BadRequest {
  name: string;
  method: string;
  path: string;
  /** `{ingest}`, `{other}` (another session's), `{session}`, `{admin}`, a literal, or none. */
  token: string | null;
  contentType: string | null;
  body?: string;
  status: number;
  code: string;
}

type Expected = readonly [status: number, code: string];
type Overrides = Partial<Omit<BadRequest, "name" | "status" | "code">>;

const INVALID: Expected = [400, "invalid_request"];
const UNAUTHORIZED: Expected = [401, "unauthorized"];
const NOT_FOUND: Expected = [404, "not_found"];
const CONFLICT: Expected = [409, "conflict"];
const TOO_LARGE: Expected = [413, "payload_too_large"];
const MEDIA_TYPE: Expected = [415, "unsupported_media_type"];

const json = (value: unknown) => JSON.stringify(value);
const deep = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

/** A batch of one step-finish part with `fields` over sane defaults. */
function step(fields: Record<string, unknown>): string {
  const part = {
    id: "p-bad",
    messageID: "m-bad",
    type: "step-finish",
    cost: 0,
    ...fields,
  };
  const data = { type: "message.part.updated", properties: { part } };
  return json([{ streamEventType: "kilocode", timestamp: "2026-01-01T00:00:00Z", data }]);
}

function request(
  name: string,
  method: string,
  path: string,
  [status, code]: Expected,
  overrides: Overrides = {},
): BadRequest {
  return {
    name,
    method,
    path,
    token: "{session}",
    contentType: "application/json",
    status,
    code,
    ...overrides,
  };
}

/** POST events to the corpus session with its ingest token. */
const events = (
  name: string,
  body: string,
  expected: Expected,
  overrides: Overrides = {},
) =>
  request(name, "POST", "/sessions/{id}/events", expected, {
    token: "{ingest}",
    body,
    ...overrides,
  });

/** PUT a new session with the session secret. */
const register = (name: string, body: unknown, expected: Expected = INVALID) =>
  request(name, "PUT", "/sessions/{new}", expected, { body: json(body) });

const resend = (name: string, body: unknown, expected: Expected, token = "{admin}") =>
  request(name, "POST", "/admin/sessions/{id}/resend", expected, {
    token,
    body: json(body),
  });

const complete = (name: string, body: unknown) =>
  request(name, "POST", "/sessions/{id}/complete", INVALID, { body: json(body) });

const EVENT_BODIES: BadRequest[] = [
  events("malformed JSON", "[{", INVALID),
  events("an object, not an array", json({}), INVALID),
  events("an envelope without type", json([{ data: {} }]), INVALID),
  events("negative tokens", step({ tokens: { input: -1 } }), INVALID),
  events("fractional tokens", step({ tokens: { output: 1.5 } }), INVALID),
  events("tokens as a string", step({ tokens: { input: "10" } }), INVALID),
  events("NaN-like cost", step({ cost: "NaN" }), INVALID),
  events("negative cost", step({ cost: -0.01 }), INVALID),
  events("astronomical cost", step({ cost: 1e300 }), INVALID),
  events("astronomical tokens", step({ tokens: { input: 1e20 } }), INVALID),
  events("a step without its message id", step({ messageID: 7 }), INVALID),
  events(
    "complete without exit code",
    json([{ streamEventType: "complete", data: {} }]),
    INVALID,
  ),
  events("an over-long id field", step({ id: "x".repeat(600) }), INVALID),
  events("deep nesting", deep(5_000), INVALID),
  events(
    "1,001 events",
    json(Array(1_001).fill({ streamEventType: "heartbeat" })),
    TOO_LARGE,
  ),
  events(
    "a body over 1 MiB",
    json([{ streamEventType: "output", data: "x".repeat(1_100_000) }]),
    TOO_LARGE,
  ),
  events("text/plain", "[]", MEDIA_TYPE, { contentType: "text/plain" }),
  events("no content type", "[]", MEDIA_TYPE, { contentType: null }),
];

const CREDENTIALS_AND_IDS: BadRequest[] = [
  events("no token", "[]", UNAUTHORIZED, { token: null }),
  events("a wrong token", "[]", UNAUTHORIZED, { token: "nope" }),
  events("another session's token", "[]", UNAUTHORIZED, { token: "{other}" }),
  events("the admin secret for ingest", "[]", UNAUTHORIZED, { token: "{admin}" }),
  events("an id of 129 characters", "[]", INVALID, {
    path: `/sessions/${"a".repeat(129)}/events`,
  }),
  // The URL parser resolves an encoded `..` away: no route is left.
  events("an id that is an encoded ..", "[]", NOT_FOUND, {
    path: "/sessions/%2e%2e/events",
  }),
  events("an id with an encoded slash", "[]", INVALID, {
    path: "/sessions/a%2Fb/events",
  }),
  events("an id with a space", "[]", INVALID, { path: "/sessions/a%20b/events" }),
  request("PUT with the ingest token", "PUT", "/sessions/{id}", UNAUTHORIZED, {
    token: "{ingest}",
    body: "{}",
  }),
  request("GET with the admin secret", "GET", "/sessions/{id}", UNAUTHORIZED, {
    token: "{admin}",
  }),
  request(
    "admin GET with the session secret",
    "GET",
    "/admin/sessions/{id}",
    UNAUTHORIZED,
  ),
  resend("resend with the session secret", { what: "all" }, UNAUTHORIZED, "{session}"),
  request("an unknown route", "DELETE", "/sessions/{id}", NOT_FOUND),
];

const SERVICE_BODIES: BadRequest[] = [
  register("a review id that is ..", { reviewId: ".." }),
  register("an oversized review id", { reviewId: "r".repeat(10_000) }),
  register("PUT with an unknown field", { reviewID: "r" }),
  register("a callback target without url", { callbackTarget: { headers: {} } }),
  register("deeply nested registration", {
    callbackTarget: JSON.parse(deep(2_000)) as unknown,
  }),
  request("PUT again with another body", "PUT", "/sessions/{id}", CONFLICT, {
    body: json({ reviewId: "other" }),
  }),
  resend("resend of something else", { what: "everything" }, INVALID),
  resend("resend without what", {}, INVALID),
  complete("complete with a bad status", { status: "done" }),
  complete("complete with an unknown field", { status: "failed", reason: "x" }),
  complete("complete with an error message as a number", {
    status: "failed",
    errorMessage: 5,
  }),
];

export const CORPUS: BadRequest[] = [
  ...EVENT_BODIES,
  ...CREDENTIALS_AND_IDS,
  ...SERVICE_BODIES,
];

/** Callback URLs outside the allowed origins, with credentials, or non-public. */
export const CALLBACK_URLS: BadRequest[] = [
  "https://elsewhere.test/hook",
  "http://hooks.test/hook",
  "https://user:pass@hooks.test/hook",
  "http://127.0.0.1:8080/hook",
  "https://10.0.0.7/hook",
  "https://192.168.1.1/hook",
  "https://169.254.169.254/latest",
  "https://[::1]/hook",
  "not a url",
].map((url) => register(`a callback to ${url}`, { callbackTarget: { url } }));
