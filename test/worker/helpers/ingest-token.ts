/**
 * A session's ingest token, derived in tests from the documented formula
 * (README, "API"), not with the service's code, so that a change to either
 * shows: base64url without padding of
 * HMAC-SHA256(key = SESSION_API_SECRET, message = "ingest:" + sessionId).
 */
export async function deriveIngestToken(
  secret: string,
  sessionId: string,
): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign(
    "HMAC",
    key,
    encoder.encode(`ingest:${sessionId}`),
  );
  const binary = String.fromCharCode(...new Uint8Array(mac));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
