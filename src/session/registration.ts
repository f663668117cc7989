/**
 * The registration body (`PUT /sessions/:id`), strict: an unknown field or
 * a value of the wrong kind is refused. The callback target is checked
 * against the operator's allow-list, so the service never sends a caller's
 * headers anywhere the operator did not allow.
 */
import * as v from "valibot";
import type { Config } from "../env.ts";
import { HttpError } from "../http/errors.ts";
import { ID_PATTERN } from "../http/ids.ts";
import type { CallbackTarget } from "./session-store.ts";
import { callbackUrlProblem } from "./callback-url.ts";

const MAX_HEADERS = 20;
const MAX_HEADER_VALUE_LENGTH = 4_096;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;
/** Headers the service sets itself, or that only the transport may set. */
const RESERVED_HEADERS = new Set([
  "host",
  "content-type",
  "content-length",
  "idempotency-key",
  "transfer-encoding",
  "connection",
]);

const id = v.pipe(
  v.string(),
  v.regex(ID_PATTERN, "must be 1 to 128 characters of A-Z a-z 0-9 . _ : - (not . or ..)"),
);

const headerValue = v.pipe(
  v.string(),
  v.maxLength(MAX_HEADER_VALUE_LENGTH),
  // Printable ASCII only: the runtime warns about other bytes in a header,
  // quoting the value, and these values are often secrets.
  v.regex(/^[\x20-\x7E\t]*$/, "must be printable ASCII (no line breaks)"),
);

const headers = v.pipe(
  v.record(
    v.pipe(
      v.string(),
      v.regex(HEADER_NAME, "is not a valid header name"),
      v.check(
        (name) => !RESERVED_HEADERS.has(name.toLowerCase()),
        "is set by the service",
      ),
    ),
    headerValue,
  ),
  v.check((h) => Object.keys(h).length <= MAX_HEADERS, `at most ${MAX_HEADERS} headers`),
  v.check(
    (h) =>
      new Set(Object.keys(h).map((name) => name.toLowerCase())).size ===
      Object.keys(h).length,
    "names a header twice (header names ignore case)",
  ),
);

export const RegistrationSchema = v.strictObject({
  reviewId: v.optional(id),
  executionId: v.optional(id),
  kiloSessionId: v.optional(id),
  callbackTarget: v.optional(
    v.strictObject({
      url: v.pipe(v.string(), v.maxLength(2_048)),
      headers: v.optional(headers),
    }),
  ),
});

export type Registration = v.InferOutput<typeof RegistrationSchema>;

/**
 * The callback target, checked against the configuration.
 * @throws HttpError `invalid_request` naming what is wrong with the URL.
 */
export function checkCallbackTarget(
  target: Registration["callbackTarget"],
  config: Config,
): CallbackTarget | null {
  if (!target) return null;

  const problem = callbackUrlProblem(target.url, config);
  if (problem) {
    throw new HttpError("invalid_request", `callbackTarget.url ${problem}`, [
      { path: "callbackTarget.url", message: problem },
    ]);
  }
  return { url: new URL(target.url).toString(), headers: target.headers ?? {} };
}

/**
 * The registration as canonical JSON: same meaning, same text. URLs are
 * normalised and header names compared without case, as HTTP does.
 */
export function canonicalRegistration(registration: Registration): string {
  const target = registration.callbackTarget;
  const sortedHeaders = target?.headers
    ? Object.fromEntries(
        Object.entries(target.headers)
          .map(([name, value]) => [name.toLowerCase(), value] as const)
          .sort(([a], [b]) => a.localeCompare(b)),
      )
    : undefined;
  const url = target ? (URL.parse(target.url)?.toString() ?? target.url) : undefined;
  return JSON.stringify({
    reviewId: registration.reviewId,
    executionId: registration.executionId,
    kiloSessionId: registration.kiloSessionId,
    callbackTarget: target ? { url, headers: sortedHeaders } : undefined,
  });
}
