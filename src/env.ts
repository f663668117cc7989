/**
 * Bindings, vars and secrets, parsed and checked once per isolate.
 *
 * Every setting is validated here so that a missing secret or a malformed
 * var surfaces as one clear `misconfigured` error naming the setting,
 * never as a silent default deep inside delivery code.
 */
import * as v from "valibot";

/** The parsed configuration that the rest of the service reads. */
export interface Config {
  apiUrl: URL;
  /** Origins a callback may target; from `CALLBACK_ALLOWED_ORIGINS`, else `API_URL`'s. */
  callbackAllowedOrigins: readonly string[];
  allowInsecureCallbacks: boolean;
  usageGateMs: number;
  deliveryTimeoutMs: number;
  deliveryRetryDelaysMs: readonly number[];
  staleAfterMs: number;
  retentionMs: number;
  internalApiSecret: string;
  sessionApiSecret: string;
  adminApiSecret: string;
  /** Serve the benchmark's floor and stats routes (never in production). */
  enableBenchRoutes: boolean;
}

/** A setting is missing or malformed. Names the setting, never its value. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly setting: string,
    readonly problem: string,
  ) {
    super(`setting ${setting} ${problem}`);
  }
}

const MAX_DURATION_MS = 365 * 24 * 3600 * 1000;

const secret = v.pipe(v.string(), v.minLength(1, "is missing"));
const durationMs = v.pipe(
  v.string(),
  v.regex(/^\d+$/, "must be a whole number of milliseconds"),
  v.transform(Number),
  v.maxValue(MAX_DURATION_MS, "is longer than a year"),
);
const positiveDurationMs = v.pipe(durationMs, v.minValue(1, "must be above zero"));
const boolFlag = v.picklist(["true", "false", ""], 'must be "true" or "false"');
const httpUrl = v.pipe(
  v.string(),
  v.minLength(1, "is missing: set it to the web app's base URL"),
  v.url("must be an absolute URL"),
  v.transform((text) => new URL(text)),
  v.check(
    (url) => url.protocol === "https:" || url.protocol === "http:",
    "must be http(s)",
  ),
);
const delayList = v.pipe(
  v.string(),
  v.regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, "must be a comma-separated list of milliseconds"),
  v.transform((text) => text.split(",").map((part) => Number(part.trim()))),
  v.check(
    (delays) => delays.every((ms) => ms <= MAX_DURATION_MS),
    "has a delay over a year",
  ),
);

/*
 * An http(s) URL only: "hooks.example.com:443" parses as a URL whose scheme
 * is "hooks.example.com:", with the opaque origin "null", which would
 * silently allow no callback at all.
 */
function isHttpOrigin(text: string): boolean {
  const url = URL.parse(text);
  return url !== null && (url.protocol === "https:" || url.protocol === "http:");
}

const originList = v.pipe(
  v.string(),
  v.transform((text) =>
    text
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== ""),
  ),
  v.check(
    (origins) => origins.every(isHttpOrigin),
    "must be a comma-separated list of origins such as https://app.example.com",
  ),
  v.transform((origins) => origins.map((origin) => new URL(origin).origin)),
);

/** Each setting's schema, keyed by its binding name. */
const settings = {
  API_URL: httpUrl,
  CALLBACK_ALLOWED_ORIGINS: v.optional(originList, ""),
  ALLOW_INSECURE_CALLBACKS: v.optional(boolFlag, "false"),
  USAGE_GATE_MS: v.optional(durationMs, "60000"),
  DELIVERY_TIMEOUT_MS: v.optional(positiveDurationMs, "10000"),
  DELIVERY_RETRY_DELAYS_MS: v.optional(
    delayList,
    "2000,10000,30000,120000,600000,1800000,3600000,10800000,21600000,43200000",
  ),
  STALE_AFTER_MS: v.optional(positiveDurationMs, "600000"),
  RETENTION_MS: v.optional(durationMs, "2592000000"),
  ENABLE_BENCH_ROUTES: v.optional(boolFlag, "false"),
  INTERNAL_API_SECRET: secret,
  SESSION_API_SECRET: secret,
  ADMIN_API_SECRET: secret,
};

type Parsed = { [K in keyof typeof settings]: v.InferOutput<(typeof settings)[K]> };

function parseSetting<K extends keyof typeof settings>(
  env: Record<string, unknown>,
  key: K,
): Parsed[K] {
  const value = env[key];
  const raw = typeof value === "string" ? value : undefined;
  const schema = settings[key] as unknown as v.GenericSchema<unknown, Parsed[K]>;
  const result = v.safeParse(schema, raw);
  if (result.success) return result.output;

  const message = result.issues[0].message;
  throw new ConfigError(key, raw === undefined || raw === "" ? "is missing" : message);
}

function parseAll(env: Record<string, unknown>): Config {
  const get = <K extends keyof typeof settings>(key: K) => parseSetting(env, key);
  const apiUrl = get("API_URL");
  const origins = get("CALLBACK_ALLOWED_ORIGINS");
  return {
    apiUrl,
    callbackAllowedOrigins: origins.length > 0 ? origins : [apiUrl.origin],
    allowInsecureCallbacks: get("ALLOW_INSECURE_CALLBACKS") === "true",
    usageGateMs: get("USAGE_GATE_MS"),
    deliveryTimeoutMs: get("DELIVERY_TIMEOUT_MS"),
    deliveryRetryDelaysMs: get("DELIVERY_RETRY_DELAYS_MS"),
    staleAfterMs: get("STALE_AFTER_MS"),
    retentionMs: get("RETENTION_MS"),
    internalApiSecret: get("INTERNAL_API_SECRET"),
    sessionApiSecret: get("SESSION_API_SECRET"),
    adminApiSecret: get("ADMIN_API_SECRET"),
    enableBenchRoutes: get("ENABLE_BENCH_ROUTES") === "true",
  };
}

const cache = new WeakMap<object, Config>();

/**
 * The checked configuration of `env`, parsed on first use and cached.
 * @throws ConfigError naming the first bad setting.
 */
export function loadConfig(env: Env): Config {
  const cached = cache.get(env);
  if (cached) return cached;

  const config = parseAll(env as unknown as Record<string, unknown>);
  cache.set(env, config);
  return config;
}
