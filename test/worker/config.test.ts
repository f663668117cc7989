/**
 * `loadConfig`: every setting checked once, defaults applied, and a bad
 * setting named in a `ConfigError` that never carries its value.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError, loadConfig } from "../../src/env.ts";
import { handleRequest } from "../../src/http/worker-routes.ts";
import { TEST_BINDINGS } from "./bindings.ts";

const SECRETS = [
  TEST_BINDINGS.INTERNAL_API_SECRET,
  TEST_BINDINGS.SESSION_API_SECRET,
  TEST_BINDINGS.ADMIN_API_SECRET,
];

/** A fresh env (the config is cached per env object) with `changes` laid over. */
function envWith(changes: Record<string, string | undefined>): Env {
  const entries = Object.entries({ ...TEST_BINDINGS, ...changes });
  const env = Object.fromEntries(entries.filter(([, value]) => value !== undefined));
  return env as unknown as Env;
}

/** The ConfigError that loading `env` throws. */
function configErrorOf(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("loadConfig accepted the env");
}

describe("a setting that is missing or malformed", () => {
  it.each(["INTERNAL_API_SECRET", "SESSION_API_SECRET", "ADMIN_API_SECRET"])(
    "names %s when it is missing",
    (setting) => {
      const error = configErrorOf(envWith({ [setting]: undefined }));

      expect(error).toMatchObject({ setting, problem: "is missing" });
      expect(error.message).toBe(`setting ${setting} is missing`);
    },
  );

  it("treats an empty secret as missing", () => {
    const error = configErrorOf(envWith({ ADMIN_API_SECRET: "" }));

    expect(error).toMatchObject({ setting: "ADMIN_API_SECRET", problem: "is missing" });
  });

  it("names an empty API_URL", () => {
    const error = configErrorOf(envWith({ API_URL: "" }));

    expect(error).toMatchObject({ setting: "API_URL", problem: "is missing" });
  });

  it.each([
    ["API_URL", "web.test/no-scheme"],
    ["API_URL", "ftp://web.test"],
    ["DELIVERY_RETRY_DELAYS_MS", "2s,10s-marker"],
    ["DELIVERY_RETRY_DELAYS_MS", "2000,,3000"],
    ["DELIVERY_RETRY_DELAYS_MS", "2000,99999999999999"],
    ["USAGE_GATE_MS", "-1"],
    ["USAGE_GATE_MS", "1.5"],
    ["DELIVERY_TIMEOUT_MS", "0"],
    ["ALLOW_INSECURE_CALLBACKS", "yes-marker"],
    ["CALLBACK_ALLOWED_ORIGINS", "https://hooks.test,not an origin"],
    ["CALLBACK_ALLOWED_ORIGINS", "hooks.test:443"],
  ])("names %s = %j without echoing the value", (setting, value) => {
    const error = configErrorOf(envWith({ [setting]: value }));

    expect(error.setting).toBe(setting);
    expect(error.message).toMatch(new RegExp(`^setting ${setting} `));
    expect(error.message).not.toContain(value);
  });

  it("never puts a secret in the message", () => {
    const error = configErrorOf(envWith({ DELIVERY_RETRY_DELAYS_MS: "soon" }));

    for (const secret of SECRETS) expect(error.message).not.toContain(secret);
  });
});

describe("defaults", () => {
  const minimal = {
    API_URL: "https://app.example.com/base",
    INTERNAL_API_SECRET: "i",
    SESSION_API_SECRET: "s",
    ADMIN_API_SECRET: "a",
  };

  it("applies the documented defaults to unset vars", () => {
    const config = loadConfig(minimal as unknown as Env);

    expect(config).toMatchObject({
      allowInsecureCallbacks: false,
      enableBenchRoutes: false,
      usageGateMs: 60_000,
      deliveryTimeoutMs: 10_000,
      deliveryRetryDelaysMs: [
        2_000, 10_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 10_800_000,
        21_600_000, 43_200_000,
      ],
    });
  });

  it("allows callbacks to API_URL's origin when CALLBACK_ALLOWED_ORIGINS is empty", () => {
    const config = loadConfig({ ...minimal, CALLBACK_ALLOWED_ORIGINS: "" } as Env);

    expect(config.callbackAllowedOrigins).toEqual(["https://app.example.com"]);
  });

  it("reads a comma-separated origin list as origins", () => {
    const env = envWith({
      CALLBACK_ALLOWED_ORIGINS: " https://a.test/path , https://b.test:8443 ,",
    });

    expect(loadConfig(env).callbackAllowedOrigins).toEqual([
      "https://a.test",
      "https://b.test:8443",
    ]);
  });

  it("reads a delay list with spaces around the commas", () => {
    const env = envWith({ DELIVERY_RETRY_DELAYS_MS: "1000, 2000 ,3000" });

    expect(loadConfig(env).deliveryRetryDelaysMs).toEqual([1_000, 2_000, 3_000]);
  });
});

describe("a misconfigured deployment over HTTP", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("answers 500 misconfigured, naming the setting and no secret", async () => {
    const env = envWith({ SESSION_API_SECRET: undefined });
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const request = new Request("https://session.test/sessions/s-1", {
      headers: { authorization: `Bearer ${TEST_BINDINGS.ADMIN_API_SECRET}` },
    });

    const response = await handleRequest(request, env);
    const text = await response.text();

    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({
      error: {
        code: "misconfigured",
        message: "the service is misconfigured: SESSION_API_SECRET",
      },
    });
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it("logs one line naming the setting, never its value", async () => {
    const env = envWith({ DELIVERY_RETRY_DELAYS_MS: "2s,10s-marker" });
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);

    await handleRequest(new Request("https://session.test/sessions/s-1"), env);

    expect(errors).toHaveBeenCalledTimes(1);
    const line = String(errors.mock.calls[0]?.[0]);
    expect(JSON.parse(line)).toMatchObject({
      event: "config.misconfigured",
      setting: "DELIVERY_RETRY_DELAYS_MS",
    });
    expect(line).not.toContain("marker");
  });

  it("serves no bench route unless ENABLE_BENCH_ROUTES is true", async () => {
    const env = envWith({ ENABLE_BENCH_ROUTES: "false" });
    const request = new Request("https://session.test/bench/sessions/s-1/stats", {
      headers: { authorization: `Bearer ${TEST_BINDINGS.ADMIN_API_SECRET}` },
    });

    const response = await handleRequest(request, env);

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
