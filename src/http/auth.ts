/**
 * Who may call what. Tokens are compared in constant time (through their
 * SHA-256 digests, so lengths do not leak either). The per-session ingest
 * token is derived from the session secret and never stored.
 */
import type { Config } from "../env.ts";
import { HttpError } from "./errors.ts";

export type Caller = "session" | "ingest" | "admin";

const encoder = new TextEncoder();

async function digest(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", encoder.encode(text));
}

/** Constant-time equality of two strings. */
export async function safeEqual(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([digest(a), digest(b)]);
  return crypto.subtle.timingSafeEqual(da, db);
}

function base64url(bytes: ArrayBuffer): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The agent's token for one session:
 * base64url(HMAC-SHA256(SESSION_API_SECRET, "ingest:" + sessionId)), no padding.
 */
export async function ingestToken(sessionSecret: string, sessionId: string) {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(sessionSecret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return base64url(
    await crypto.subtle.sign("HMAC", key, encoder.encode(`ingest:${sessionId}`)),
  );
}

function bearerToken(request: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}

async function accepts(caller: Caller, token: string, sessionId: string, config: Config) {
  if (caller === "admin") return safeEqual(token, config.adminApiSecret);
  if (await safeEqual(token, config.sessionApiSecret)) return true;
  if (caller !== "ingest") return false;
  return safeEqual(token, await ingestToken(config.sessionApiSecret, sessionId));
}

/**
 * Checks the request's bearer token for `caller` on `sessionId`.
 * @throws HttpError `unauthorized`; the message never says which secret.
 */
export async function authenticate(
  request: Request,
  caller: Caller,
  sessionId: string,
  config: Config,
): Promise<void> {
  const token = bearerToken(request);
  if (token === null) {
    throw new HttpError("unauthorized", "missing Authorization: Bearer token");
  }
  if (!(await accepts(caller, token, sessionId, config))) {
    throw new HttpError("unauthorized", "invalid token for this route");
  }
}
