/**
 * Session and review ids, and the callback URLs a registration may name:
 * checked as units, then through `PUT /sessions/:id`.
 */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env.ts";
import { isValidId } from "../../src/http/ids.ts";
import { callbackUrlProblem } from "../../src/session/callback-url.ts";
import { TEST_BINDINGS } from "./bindings.ts";
import { callJson, uniqueId } from "./helpers/api.ts";
import { heartbeat } from "./helpers/envelopes.ts";

const INVALID_REQUEST = { error: { code: "invalid_request" } };

function put(path: string, body: unknown = {}) {
  return callJson("PUT", path, { body });
}

/** A config with the given callback vars, the rest from the test bindings. */
function configWith(origins: string, allowInsecure: "true" | "false") {
  const env = {
    ...TEST_BINDINGS,
    CALLBACK_ALLOWED_ORIGINS: origins,
    ALLOW_INSECURE_CALLBACKS: allowInsecure,
  };
  return loadConfig(env as unknown as Env);
}

describe("isValidId", () => {
  it.each(["a", "A-z_0.9:x", "a..b", "...", "x".repeat(128)])("accepts %j", (id) => {
    expect(isValidId(id)).toBe(true);
  });

  it.each(["", ".", "..", "x".repeat(129), "a/b", "a%2Fb", "a b", "a@b", "é"])(
    "refuses %j",
    (id) => {
      expect(isValidId(id)).toBe(false);
    },
  );
});

describe("ids in the path", () => {
  it("accepts a session id of 128 characters", async () => {
    const sessionId = `${uniqueId()}-`.padEnd(128, "x");

    const { status } = await put(`/sessions/${sessionId}`);

    expect(status).toBe(201);
  });

  it("refuses a session id of 129 characters", async () => {
    const { status, body } = await put(`/sessions/${"x".repeat(129)}`);

    expect(status).toBe(400);
    expect(body).toMatchObject(INVALID_REQUEST);
  });

  it.each(["a%2Fb", "a%20b", "a@b", "a!b", "%C3%A9", "a%2E%2Eb"])(
    "refuses the session id %s",
    async (sessionId) => {
      const { status, body } = await put(`/sessions/${sessionId}`);

      expect(status).toBe(400);
      expect(body).toMatchObject(INVALID_REQUEST);
    },
  );

  it("refuses a bad id on the events route before any auth or lookup", async () => {
    const { status, body } = await callJson("POST", `/sessions/a%2Fb/events`, {
      body: [heartbeat()],
    });

    expect(status).toBe(400);
    expect(body).toMatchObject(INVALID_REQUEST);
  });

  it("never routes a dot-dot segment: the URL parser resolves it first", async () => {
    // `/sessions/..` and `/sessions/%2e%2e` both arrive as `/`.
    const { status, body } = await put(`/sessions/%2e%2e`);

    expect(status).toBe(404);
    expect(body).toMatchObject({ error: { code: "not_found" } });
  });
});

describe("ids in the registration body", () => {
  it.each([
    ["reviewId", ".."],
    ["reviewId", "x".repeat(129)],
    ["reviewId", "a/b"],
    ["executionId", "."],
    ["kiloSessionId", "ses root"],
  ])("refuses %s %j", async (field, value) => {
    const { status, body } = await put(`/sessions/${uniqueId()}`, { [field]: value });

    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: { code: "invalid_request", details: [{ path: field }] },
    });
  });
});

describe("callbackTarget.url through PUT", () => {
  it.each([
    ["plain http", "http://hooks.test/status"],
    ["an origin not allowed", "https://evil.test/status"],
    ["another port of an allowed host", "https://hooks.test:8443/status"],
    ["credentials", "https://user:pw-marker@hooks.test/status"],
    ["a private IPv4 address", "https://10.0.0.1/status"],
    ["localhost over http", "http://localhost:8787/status"],
    ["a relative URL", "/status"],
  ])("refuses %s", async (_, url) => {
    const { status, body } = await put(`/sessions/${uniqueId()}`, {
      callbackTarget: { url },
    });

    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: { code: "invalid_request", details: [{ path: "callbackTarget.url" }] },
    });
    expect(JSON.stringify(body)).not.toContain("marker");
  });

  it("accepts https to an allowed origin", async () => {
    const { status } = await put(`/sessions/${uniqueId()}`, {
      callbackTarget: { url: "https://hooks.test/status?review=1" },
    });

    expect(status).toBe(201);
  });
});

describe("callbackUrlProblem", () => {
  const secure = configWith("https://hooks.test", "false");
  const insecure = configWith("http://localhost:8787,http://127.0.0.1:8787", "true");

  it("allows an https URL of a listed origin", () => {
    expect(callbackUrlProblem("https://hooks.test/a/b", secure)).toBeNull();
  });

  it("allows http to a listed loopback origin when insecure callbacks are on", () => {
    expect(callbackUrlProblem("http://localhost:8787/cb", insecure)).toBeNull();
    expect(callbackUrlProblem("http://127.0.0.1:8787/cb", insecure)).toBeNull();
  });

  it("refuses http to a loopback origin when insecure callbacks are off", () => {
    const config = configWith("http://localhost:8787", "false");

    expect(callbackUrlProblem("http://localhost:8787/cb", config)).toMatch(/https/);
  });

  it("refuses http to any other host even when insecure callbacks are on", () => {
    const config = configWith("http://hooks.test", "true");

    expect(callbackUrlProblem("http://hooks.test/cb", config)).toMatch(/https/);
  });

  it("refuses a loopback origin that is not listed", () => {
    expect(callbackUrlProblem("http://localhost:9999/cb", insecure)).toMatch(
      /CALLBACK_ALLOWED_ORIGINS/,
    );
  });

  it.each([
    "https://10.1.2.3",
    "https://172.16.0.1",
    "https://192.168.1.1",
    "https://169.254.169.254",
    "https://100.64.0.1",
    "https://0.0.0.0",
    "https://127.0.0.1",
    "https://2130706433",
    "https://[::1]",
    "https://[fd00::1]",
    "https://[fe80::1]",
    "https://[::ffff:10.0.0.1]",
  ])("refuses the private address %s even when its origin is listed", (origin) => {
    const config = configWith(origin, "false");

    expect(callbackUrlProblem(`${origin}/cb`, config)).toMatch(/private/);
  });

  it("refuses credentials in the URL", () => {
    expect(callbackUrlProblem("https://u:p@hooks.test/cb", secure)).toMatch(
      /credentials/,
    );
  });
});
