/**
 * Reading request bodies within limits: the content type is checked, the
 * size is capped while reading (a missing or lying Content-Length does not
 * help), and malformed JSON is a 400 that says where.
 */
import { HttpError } from "./errors.ts";

/** Requests carry at most this much body. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyFormat = "json" | "ndjson";

function mediaType(request: Request): string {
  const header = request.headers.get("content-type") ?? "";
  return (header.split(";")[0] ?? "").trim().toLowerCase();
}

/**
 * The body's format from its Content-Type.
 * @throws HttpError `unsupported_media_type` for anything not allowed.
 */
export function bodyFormat(request: Request, allowNdjson: boolean): BodyFormat {
  const type = mediaType(request);
  if (type === "application/json") return "json";
  if (allowNdjson && type === "application/x-ndjson") return "ndjson";

  const allowed = allowNdjson
    ? "application/json or application/x-ndjson"
    : "application/json";
  throw new HttpError("unsupported_media_type", `Content-Type must be ${allowed}`);
}

function tooLarge(): HttpError {
  return new HttpError(
    "payload_too_large",
    `body is larger than ${MAX_BODY_BYTES} bytes`,
  );
}

/** Refuses a body whose declared length is over the limit, before reading it. */
export function checkDeclaredLength(request: Request): void {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
}

/** The body as text, refusing more than `MAX_BODY_BYTES`. */
export async function readCappedText(request: Request): Promise<string> {
  checkDeclaredLength(request);
  if (!request.body) return "";

  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request.body as ReadableStream<Uint8Array>) {
    total += chunk.byteLength;
    if (total > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * Reads and drops what is left of a body, at most `MAX_BODY_BYTES`, then
 * cancels the rest. A Durable Object that answers before reading its
 * request's body makes workerd log "Can't read from request stream after
 * response has been sent" (workerd#918); cancelling alone does not stop
 * that, reading does.
 */
export async function discardBody(request: Request): Promise<void> {
  if (!request.body || request.bodyUsed) return;

  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
      if (total > MAX_BODY_BYTES) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The sender went away: nothing is left to drop.
  }
}

/**
 * Parses JSON text. @param where names the input in the error message.
 * @throws HttpError `invalid_request`.
 */
export function parseJson(text: string, where = "body"): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError("invalid_request", `${where} is not valid JSON`);
  }
}

/** Parses one JSON value a line; blank lines are skipped. */
export function parseNdjson(text: string): unknown[] {
  const values: unknown[] = [];
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    values.push(parseJson(line, `line ${index + 1}`));
  }
  return values;
}

/**
 * Reads a JSON body (or NDJSON, as an array of its lines).
 * @param allowEmpty an empty body reads as `{}`.
 */
/** A body that is absent and has no Content-Type: read as `{}` where allowed. */
export function isEmptyUntyped(request: Request): boolean {
  const declared = request.headers.get("content-length");
  const empty = declared === "0" || (declared === null && !request.body);
  return empty && !request.headers.has("content-type");
}

export async function readBody(
  request: Request,
  options: { allowNdjson?: boolean; allowEmpty?: boolean } = {},
): Promise<unknown> {
  if (options.allowEmpty && isEmptyUntyped(request)) return {};

  const format = bodyFormat(request, options.allowNdjson ?? false);
  const text = await readCappedText(request);
  if (options.allowEmpty && text.trim() === "") return {};
  return format === "ndjson" ? parseNdjson(text) : parseJson(text);
}
