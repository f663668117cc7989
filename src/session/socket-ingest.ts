/**
 * Ingest over a hibernatable WebSocket: the agent's wrapper streams one
 * envelope (or an array) a message; the object answers each with an ack
 * once it is stored, or an error that changes nothing. Between messages
 * the object may hibernate, so a session waiting on a slow model costs no
 * duration while the connection stays open.
 */
import { HttpError } from "../http/errors.ts";
import { parseJson } from "../http/body.ts";
import { handleError } from "../http/respond.ts";
import type { HandlerContext } from "./handlers.ts";
import { ingestEnvelopes } from "./handlers.ts";

/** Tag of sockets on the benchmark's floor path, which store nothing. */
export const FLOOR_TAG = "floor";

/** Accepts the upgrade for a registered session. */
export function acceptSocket(request: Request, ctx: HandlerContext, tags: string[] = []) {
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    throw new HttpError(
      "invalid_request",
      "expected a WebSocket upgrade (Upgrade: websocket)",
    );
  }
  ctx.service.require();
  const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  ctx.state.acceptWebSocket(server, tags);
  return new Response(null, { status: 101, webSocket: client });
}

function envelopesOf(message: string | ArrayBuffer): unknown[] {
  if (typeof message !== "string") {
    throw new HttpError("invalid_request", "send envelopes as text frames of JSON");
  }
  const value = parseJson(message, "message");
  return Array.isArray(value) ? value : [value];
}

async function errorFrame(error: unknown): Promise<string> {
  const body = await handleError(error, null).json<{ error: unknown }>();
  return JSON.stringify({ type: "error", error: body.error });
}

/**
 * Handles one message. The ack is sent after the batch's transaction, and
 * outgoing messages wait for storage to be durable (the output gate), so
 * an ack means stored.
 */
export async function onSocketMessage(
  socket: WebSocket,
  message: string | ArrayBuffer,
  ctx: HandlerContext,
): Promise<void> {
  try {
    const result = await ingestEnvelopes(envelopesOf(message), ctx);
    socket.send(JSON.stringify({ type: "ack", ...result }));
  } catch (error) {
    socket.send(await errorFrame(error));
  }
}
