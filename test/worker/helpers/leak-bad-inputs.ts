/**
 * Inputs the service must refuse, for the no-secret-leak tests: registrations
 * that carry tracked callback header values (or a password in the URL), and
 * event batches that break the ingest rules. Each refusal is scanned for
 * those values as well.
 */
import type { CallOptions } from "./api.ts";
import { HOOKS } from "./api.ts";
import { heartbeat, output } from "./envelopes.ts";
import {
  HOOK_BEARER,
  HOOK_HEADERS,
  HOOK_SECRET,
  HOOK_SIGNATURE,
  URL_PASSWORD,
} from "./leak-session.ts";

/** A registration whose callback target is `url` with `headers`. */
export function withTarget(url: string, headers: Record<string, unknown> = HOOK_HEADERS) {
  return { reviewId: "rev-refused", callbackTarget: { url, headers } };
}

/** Registrations the service refuses, each carrying callback header values. */
export const BAD_REGISTRATIONS: [string, unknown][] = [
  ["origin not allowed", withTarget("https://elsewhere.test/hook")],
  ["credentials in the URL", withTarget(`https://hook:${URL_PASSWORD}@hooks.test/x`)],
  ["private address", withTarget("https://10.0.0.7/hook")],
  ["plain http", withTarget("http://hooks.test/hook")],
  ["not a URL", withTarget("hooks.test/hook")],
  ["line break in a value", withTarget(HOOKS, { "X-A": `${HOOK_SECRET}\r\nX-B: 1` })],
  ["over-long value", withTarget(HOOKS, { "X-A": HOOK_SECRET.repeat(200) })],
  ["reserved name", withTarget(HOOKS, { "Idempotency-Key": HOOK_SECRET })],
  ["invalid name", withTarget(HOOKS, { "X Bad": HOOK_SECRET })],
  [
    "names that differ in case",
    withTarget(HOOKS, {
      "x-internal-secret": HOOK_SECRET,
      "X-Internal-Secret": HOOK_BEARER,
    }),
  ],
  [
    "too many headers",
    withTarget(
      HOOKS,
      Object.fromEntries(
        Array.from({ length: 21 }, (_, i) => [`X-H${i}`, HOOK_SIGNATURE]),
      ),
    ),
  ],
  ["value of the wrong type", withTarget(HOOKS, { "X-A": 5, "X-B": HOOK_SECRET })],
  ["bad reviewId", { ...withTarget(HOOKS), reviewId: "../etc" }],
];

/** A registration body cut off in the middle of a header value. */
export const TRUNCATED_REGISTRATION = `{"callbackTarget":{"url":"${HOOKS}/x","headers":{"X-A":"${HOOK_SECRET}"`;

/** A batch of one `step-finish` part with `fields` laid over a valid one. */
function stepWith(fields: Record<string, unknown>) {
  const part = { type: "step-finish", id: "p", messageID: "m", ...fields };
  return [
    {
      streamEventType: "kilocode",
      timestamp: "t",
      data: { type: "message.part.updated", properties: { part } },
    },
  ];
}

/** Event batches the service refuses. */
export const BAD_EVENT_BATCHES: [string, CallOptions][] = [
  ["malformed", { rawBody: '[{"streamEventType":' }],
  ["not an array", { body: { streamEventType: "heartbeat" } }],
  ["negative cost", { body: stepWith({ cost: -1 }) }],
  ["fractional tokens", { body: stepWith({ tokens: { input: 1.5 } }) }],
  ["huge cost", { body: stepWith({ cost: 1e300 }) }],
  ["1,001 events", { body: Array.from({ length: 1_001 }, () => heartbeat()) }],
  ["over 1 MiB", { body: [output("x".repeat(1_100_000))] }],
  ["bad NDJSON line", { rawBody: "{}\n{", contentType: "application/x-ndjson" }],
  ["text/plain", { rawBody: "[]", contentType: "text/plain" }],
];
