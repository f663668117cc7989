/**
 * What the no-secret-leak tests share: the callback header values they track,
 * a `LeakRecorder` started before each test and stopped after it, and the
 * small steps of a session (register, post, read, resend) made through that
 * recorder, so that every answer is scanned along with every log line.
 */
import { afterEach, beforeEach, expect, vi } from "vitest";
import { ADMIN_SECRET, HOOKS, uniqueId } from "./api.ts";
import { LeakRecorder } from "./leak-recorder.ts";

/** The value `registerSession` uses, and header values of these tests' own. */
export const HOOK_SECRET = "callback-header-secret-1f2e";
export const HOOK_BEARER = "hook-bearer-token-5e1d9a0c";
export const HOOK_SIGNATURE = "hook-signature-value-77c2b4";
/** A password that a caller put in a callback URL (refused, never echoed). */
export const URL_PASSWORD = "url-password-secret-3a9f";
/** A header value of another registration of the same id (a conflict). */
export const OTHER_HOOK_SECRET = "callback-header-secret-other-4c1b";

export const HOOK_HEADERS = {
  "X-Internal-Secret": HOOK_SECRET,
  Authorization: `Bearer ${HOOK_BEARER}`,
  "X-Hook-Signature": HOOK_SIGNATURE,
};

/**
 * Registers hooks that start a fresh recorder before each test, tracking
 * every callback header value above, and restore the console after it.
 * Call it once at the top of a test file.
 * @returns an accessor for the current test's recorder; it throws outside a test.
 */
export function useLeakRecorder(): () => LeakRecorder {
  let current: LeakRecorder | undefined;

  beforeEach(() => {
    current = new LeakRecorder().start();
    current.track("callback header X-Internal-Secret", HOOK_SECRET);
    current.track("callback header Authorization", HOOK_BEARER);
    current.track("callback header X-Hook-Signature", HOOK_SIGNATURE);
    current.track("callback URL password", URL_PASSWORD);
    current.track("another callback header value", OTHER_HOOK_SECRET);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    current = undefined;
  });

  return () => {
    if (!current) throw new Error("the leak recorder runs only inside a test");
    return current;
  };
}

export interface Session {
  sessionId: string;
  token: string;
}

/** Registers a session with a review, an execution and the callback headers. */
export async function newSession(rec: LeakRecorder): Promise<Session> {
  const sessionId = uniqueId("leak");
  const reviewId = `rev-${sessionId}`;
  const { status, token } = await rec.register(sessionId, {
    reviewId,
    executionId: `exec-${sessionId}`,
    callbackTarget: { url: `${HOOKS}/status/${reviewId}`, headers: HOOK_HEADERS },
  });
  expect(status).toBe(201);
  return { sessionId, token };
}

/** Posts `envelopes` as one JSON batch with the session's ingest token. */
export function post(rec: LeakRecorder, session: Session, envelopes: unknown[]) {
  return rec.call("POST", `/sessions/${session.sessionId}/events`, {
    token: session.token,
    body: envelopes,
  });
}

/** Reads the session through every read route, admin ones included. */
export async function readAll(rec: LeakRecorder, sessionId: string) {
  await rec.call("GET", `/sessions/${sessionId}`);
  await rec.call("GET", `/admin/sessions/${sessionId}`, { token: ADMIN_SECRET });
  await rec.call("GET", `/bench/sessions/${sessionId}/stats`, { token: ADMIN_SECRET });
}

/** Asks, as admin, for `what` ("usage", "callback" or "all") to be sent again. */
export function resend(rec: LeakRecorder, sessionId: string, what: string) {
  return rec.call("POST", `/admin/sessions/${sessionId}/resend`, {
    token: ADMIN_SECRET,
    body: { what },
  });
}

/** Nothing tracked leaked, and every log line is one JSON event. */
export function expectNothingLeaked(rec: LeakRecorder) {
  expect(rec.leaks()).toEqual([]);
  expect(rec.malformedLines()).toEqual([]);
}
