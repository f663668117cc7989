/** Calling the Worker as its clients do. */
import { exports } from "cloudflare:workers";
import { TEST_BINDINGS } from "../bindings.ts";

export const SESSION_SECRET = TEST_BINDINGS.SESSION_API_SECRET;
export const ADMIN_SECRET = TEST_BINDINGS.ADMIN_API_SECRET;
export const INTERNAL_SECRET = TEST_BINDINGS.INTERNAL_API_SECRET;
export const WEB = "https://web.test";
export const HOOKS = "https://hooks.test";

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** Sent as is instead of JSON-encoding `body`. */
  rawBody?: string;
  contentType?: string | null;
}

/** Calls the Worker; the session secret is the default token. */
export async function call(method: string, path: string, options: CallOptions = {}) {
  const headers = new Headers();
  const token = options.token === undefined ? SESSION_SECRET : options.token;
  if (token !== null) headers.set("authorization", `Bearer ${token}`);
  let body: string | undefined = options.rawBody;
  if (body === undefined && options.body !== undefined)
    body = JSON.stringify(options.body);
  const contentType =
    options.contentType === undefined ? "application/json" : options.contentType;
  if (body !== undefined && contentType !== null)
    headers.set("content-type", contentType);
  return exports.default.fetch(
    new Request(`https://session.test${path}`, { method, headers, body }),
  );
}

/** Calls and reads the JSON answer. */
export async function callJson<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: CallOptions = {},
) {
  const response = await call(method, path, options);
  return { status: response.status, body: await response.json<T>() };
}

let counter = 0;

/** Ids handed out in the running test; setup disarms their alarms after it. */
export const idsInThisTest = new Set<string>();

/** A session id no other test uses. */
export function uniqueId(prefix = "s"): string {
  counter += 1;
  const id = `${prefix}-${Date.now().toString(36)}-${counter}`;
  idsInThisTest.add(id);
  return id;
}

export interface Registered {
  sessionId: string;
  ingestToken: string;
}

/** Registers a session with a review and a callback, unless told otherwise. */
export async function registerSession(
  body: Record<string, unknown> = {},
  sessionId = uniqueId(),
): Promise<Registered> {
  const reviewId = `rev-${sessionId}`;
  const defaults = {
    reviewId,
    callbackTarget: {
      url: `${HOOKS}/status/${reviewId}`,
      headers: { "X-Internal-Secret": "callback-header-secret-1f2e" },
    },
  };
  const { status, body: answer } = await callJson<Registered>(
    "PUT",
    `/sessions/${sessionId}`,
    {
      body: { ...defaults, ...body },
    },
  );
  if (status !== 201)
    throw new Error(`register answered ${status}: ${JSON.stringify(answer)}`);
  return answer;
}

/** Posts envelopes with the session's ingest token. */
export async function postEvents(session: Registered, envelopes: unknown[]) {
  return callJson<{ accepted: number; ignored: number }>(
    "POST",
    `/sessions/${session.sessionId}/events`,
    { token: session.ingestToken, body: envelopes },
  );
}

/** The session as GET shows it. */
export async function getSession(sessionId: string, admin = false) {
  const path = admin ? `/admin/sessions/${sessionId}` : `/sessions/${sessionId}`;
  const { body } = await callJson<SessionView>("GET", path, {
    token: admin ? ADMIN_SECRET : SESSION_SECRET,
  });
  return body;
}

export interface UsageView {
  tokensIn: number;
  tokensOut: number;
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
  costUsd: number;
  costNanoUsd: number;
}

export interface DeliveryView {
  state: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  idempotencyKey: string;
}

export interface SessionView {
  sessionId: string;
  reviewId: string | null;
  executionId: string;
  kiloSessionId: string | null;
  status: string;
  errorMessage: string | null;
  lastSeenBranch: string | null;
  callbackTarget: { url: string; headerNames: string[] } | null;
  usage: {
    model: string | null;
    messages: number;
    steps: number;
    totals: UsageView;
    byModel: (UsageView & { model: string | null; messages: number; steps: number })[];
  };
  deliveries: { usage: DeliveryView | null; callback: DeliveryView | null };
  attempts?: {
    kind: string;
    attempt: number;
    status: number | null;
    error: string | null;
    verdict: string;
    target: string;
  }[];
}
