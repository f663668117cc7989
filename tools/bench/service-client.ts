/**
 * The session service's HTTP API as the bench uses it. Every unexpected
 * answer or network failure throws a BenchError that names the request.
 * @module
 */
import { BenchError, describeError } from "./bench-error.ts";

/** Far above any answer of a healthy local run. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Where the service ingests a batch: the real path or the floor. */
export type IngestPath = "events" | "events-floor";

/** Where the service accepts an ingest WebSocket. */
export type SocketPath = "ingest" | "ingest-floor";

/** What a session is registered with. */
export interface Registration {
  reviewId?: string;
  callbackTarget?: { url: string; headers?: Record<string, string> };
}

/** A client of one running service. */
export interface ServiceClient {
  /** Registers the session. @returns its ingest token */
  register(sessionId: string, registration?: Registration): Promise<string>;
  /** POSTs a JSON array body (already serialized); expects 202. */
  postBatch(
    path: IngestPath,
    sessionId: string,
    token: string,
    body: string,
  ): Promise<void>;
  /** POSTs `complete` with status `completed`; expects 202. */
  complete(sessionId: string): Promise<void>;
  /** SQL rows the session's object wrote since it woke. */
  rowsWritten(sessionId: string): Promise<number>;
  /** The ws:// URL of the session's socket on `path`. */
  socketUrl(path: SocketPath, sessionId: string): string;
}

/** Creates a client of the service at `baseUrl` using the given secrets. */
export function createServiceClient(
  baseUrl: string,
  secrets: { session: string; admin: string },
): ServiceClient {
  const sessionAuth = { authorization: `Bearer ${secrets.session}` };
  const json = { "content-type": "application/json" };
  const sessions = `${baseUrl}/sessions`;
  const bench = `${baseUrl}/bench/sessions`;

  return {
    async register(sessionId, registration = {}) {
      const url = `${sessions}/${sessionId}`;
      const body = JSON.stringify(registration);
      const headers = { ...sessionAuth, ...json };
      const answer = await call("PUT", url, { headers, body }, [200, 201]);
      const token = (answer as { ingestToken?: unknown }).ingestToken;
      if (typeof token !== "string") {
        throw new BenchError(`PUT ${url} answered no ingestToken`);
      }
      return token;
    },
    async postBatch(path, sessionId, token, body) {
      const base = path === "events" ? sessions : bench;
      const headers = { authorization: `Bearer ${token}`, ...json };
      await call("POST", `${base}/${sessionId}/${path}`, { headers, body }, [202]);
    },
    async complete(sessionId) {
      const url = `${sessions}/${sessionId}/complete`;
      const body = JSON.stringify({ status: "completed" });
      await call("POST", url, { headers: { ...sessionAuth, ...json }, body }, [202]);
    },
    async rowsWritten(sessionId) {
      const url = `${bench}/${sessionId}/stats`;
      const headers = { authorization: `Bearer ${secrets.admin}` };
      const answer = await call("GET", url, { headers }, [200]);
      const rows = (answer as { rowsWritten?: unknown }).rowsWritten;
      if (typeof rows !== "number") {
        throw new BenchError(`GET ${url} answered no rowsWritten`);
      }
      return rows;
    },
    socketUrl(path, sessionId) {
      const base = path === "ingest" ? sessions : bench;
      return `${base.replace(/^http/, "ws")}/${sessionId}/${path}`;
    },
  };
}

async function call(
  method: string,
  url: string,
  init: { headers: Record<string, string>; body?: string },
  expectStatus: readonly number[],
): Promise<unknown> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method,
      ...init,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await res.text();
  } catch (error) {
    throw new BenchError(`${method} ${url} failed: ${describeError(error)}`);
  }
  if (!expectStatus.includes(res.status)) {
    throw new BenchError(
      `${method} ${url} answered ${res.status}: ${text.slice(0, 300)}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BenchError(`${method} ${url} answered no JSON: ${text.slice(0, 300)}`);
  }
}
