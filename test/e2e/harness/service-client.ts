/**
 * A tiny client of the session service's HTTP API, as the orchestrator, the
 * agent's wrapper and an operator call it.
 * @module
 */

/** The three secrets of one run. */
export interface Secrets {
  internal: string;
  session: string;
  admin: string;
}

/** A status and the parsed JSON body. */
export interface Answer<T = unknown> {
  status: number;
  body: T;
}

/** The part of a delivery's state that the tests read. */
export interface DeliveryView {
  state: "pending" | "delivered" | "failed" | "gave_up";
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  idempotencyKey: string;
}

/** The part of `GET /sessions/:id` that the tests read. */
export interface SessionView {
  sessionId: string;
  reviewId: string | null;
  status: string;
  deliveries: { usage: DeliveryView | null; callback: DeliveryView | null };
}

/** What `PUT /sessions/:id` returns. */
export interface Registered {
  sessionId: string;
  ingestToken: string;
}

/** Calls the service at the current base URL (it changes on a restart). */
export class ServiceClient {
  readonly #baseUrl: () => string;
  readonly #secrets: Secrets;

  constructor(baseUrl: () => string, secrets: Secrets) {
    this.#baseUrl = baseUrl;
    this.#secrets = secrets;
  }

  /** `PUT /sessions/:id` with the session secret. */
  register(sessionId: string, registration: unknown): Promise<Answer<Registered>> {
    return this.#call(
      "PUT",
      `/sessions/${sessionId}`,
      this.#secrets.session,
      registration,
    );
  }

  /** `POST /sessions/:id/events`, envelopes as a JSON array. */
  postEvents(
    session: Registered,
    envelopes: readonly unknown[],
  ): Promise<Answer<{ accepted: number; ignored: number }>> {
    const path = `/sessions/${session.sessionId}/events`;
    return this.#call("POST", path, session.ingestToken, envelopes);
  }

  /** `POST /sessions/:id/events`, one envelope a line. */
  postNdjson(
    session: Registered,
    ndjson: string,
  ): Promise<Answer<{ accepted: number; ignored: number }>> {
    const path = `/sessions/${session.sessionId}/events`;
    return this.#send("POST", path, session.ingestToken, {
      body: ndjson,
      contentType: "application/x-ndjson",
    });
  }

  /** `GET /sessions/:id` with the session secret. */
  async getSession(sessionId: string): Promise<SessionView> {
    const answer = await this.#call<SessionView>(
      "GET",
      `/sessions/${sessionId}`,
      this.#secrets.session,
    );
    if (answer.status !== 200) throw unexpected("GET session", answer);
    return answer.body;
  }

  /** `POST /admin/sessions/:id/resend` with the admin secret. */
  resend(sessionId: string, what: "usage" | "callback" | "all"): Promise<Answer> {
    const path = `/admin/sessions/${sessionId}/resend`;
    return this.#call("POST", path, this.#secrets.admin, { what });
  }

  #call<T>(
    method: string,
    path: string,
    token: string,
    json?: unknown,
  ): Promise<Answer<T>> {
    const body = json === undefined ? undefined : JSON.stringify(json);
    return this.#send(method, path, token, { body, contentType: "application/json" });
  }

  async #send<T>(
    method: string,
    path: string,
    token: string,
    content: { body: string | undefined; contentType: string },
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (content.body !== undefined) headers["content-type"] = content.contentType;
    const response = await fetch(`${this.#baseUrl()}${path}`, {
      method,
      headers,
      body: content.body,
    });
    return { status: response.status, body: (await response.json()) as T };
  }
}

/** An error that quotes an answer the caller did not expect. */
export function unexpected(what: string, answer: Answer): Error {
  return new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
}
