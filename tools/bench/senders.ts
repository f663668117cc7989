/**
 * One way of sending envelopes to a session, over HTTP batches or the
 * WebSocket, to the real ingest path or to its floor. Either way one
 * message is in flight at a time, as the agent's wrapper sends.
 * @module
 */
import type { Envelope } from "./envelope-mix.ts";
import { openIngestSocket } from "./ingest-socket.ts";
import type { ServiceClient } from "./service-client.ts";

/** How envelopes travel. */
export interface SendMode {
  /** Readable name, e.g. "HTTP, batches of 100". */
  label: string;
  transport: "http" | "websocket";
  /** Envelopes per request or message. */
  batchSize: number;
}

/** The real path, or the floor that parses and stores nothing. */
export type PathKind = "ingest" | "floor";

/** An open way to one session. */
export interface Sender {
  /** Sends the envelopes as one request or message; resolves once answered. */
  send(envelopes: readonly Envelope[]): Promise<void>;
  close(): Promise<void>;
}

/** The session a sender targets. */
export interface SessionRef {
  sessionId: string;
  token: string;
}

/** Opens a sender of `mode` on `path` (sockets connect here, before timing). */
export async function openSender(
  client: ServiceClient,
  mode: SendMode,
  path: PathKind,
  session: SessionRef,
): Promise<Sender> {
  if (mode.transport === "http") {
    const route = path === "ingest" ? "events" : "events-floor";
    return {
      send: (envelopes) =>
        client.postBatch(
          route,
          session.sessionId,
          session.token,
          JSON.stringify(envelopes),
        ),
      close: () => Promise.resolve(),
    };
  }
  const route = path === "ingest" ? "ingest" : "ingest-floor";
  const socket = await openIngestSocket(
    client.socketUrl(route, session.sessionId),
    session.token,
  );
  return {
    // One envelope a message goes as the envelope itself, as the wrapper sends it.
    send: (envelopes) =>
      socket.send(JSON.stringify(envelopes.length === 1 ? envelopes[0] : envelopes)),
    close: () => socket.close(),
  };
}
