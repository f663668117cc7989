/**
 * The session service's HTTP API, as far as the demo uses it.
 * @module
 */
import { requestJson } from "./http-json.ts";
import { numberAt, stringAt } from "./json-path.ts";

/** Where the service is and the secret its session API takes. */
export interface ServiceTarget {
  baseUrl: string;
  sessionSecret: string;
}

/** The body of `PUT /sessions/:sessionId`. */
export interface Registration {
  reviewId?: string;
  executionId?: string;
  kiloSessionId?: string;
  callbackTarget?: { url: string; headers?: Record<string, string> };
}

/** Registers a session; returns the token that its event ingestion takes. */
export async function registerSession(
  service: ServiceTarget,
  sessionId: string,
  registration: Registration,
): Promise<string> {
  const answer = await requestJson({
    purpose: "register the session",
    url: sessionUrl(service, sessionId),
    method: "PUT",
    headers: bearer(service.sessionSecret),
    body: registration,
    expectStatus: [201],
  });
  return stringAt(answer, "ingestToken");
}

/** Posts one NDJSON batch of envelopes; returns the service's counts. */
export async function postEvents(
  service: ServiceTarget,
  sessionId: string,
  ingestToken: string,
  ndjson: string,
): Promise<{ accepted: number; ignored: number }> {
  const answer = await requestJson({
    purpose: "post a batch of events",
    url: `${sessionUrl(service, sessionId)}/events`,
    method: "POST",
    headers: { ...bearer(ingestToken), "content-type": "application/x-ndjson" },
    body: ndjson,
    expectStatus: [202],
  });
  return { accepted: numberAt(answer, "accepted"), ignored: numberAt(answer, "ignored") };
}

/** The session's state, ledger and deliveries (`GET /sessions/:sessionId`). */
export function getSession(service: ServiceTarget, sessionId: string): Promise<unknown> {
  return requestJson({
    purpose: "read the session",
    url: sessionUrl(service, sessionId),
    headers: bearer(service.sessionSecret),
  });
}

function sessionUrl(service: ServiceTarget, sessionId: string): string {
  return `${service.baseUrl}/sessions/${encodeURIComponent(sessionId)}`;
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
