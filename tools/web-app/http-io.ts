/**
 * Small helpers for reading requests and writing JSON answers with Node's
 * `http` module.
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** A JSON body that parsed, or a marker that it did not. */
export type JsonParse = { ok: true; value: unknown } | { ok: false };

/** Reads the whole request body as UTF-8 text. */
export async function readBodyText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses JSON without throwing; an empty body does not parse. */
export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Writes a JSON answer and ends the response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(res, status, JSON.stringify(body), {
    "content-type": "application/json",
    ...headers,
  });
}

/** Writes a raw answer and ends the response. */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string>,
): void {
  res.writeHead(status, { ...headers, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** A single header's value; repeated headers are joined as Node does. */
export function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
}
