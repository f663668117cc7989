/**
 * JSON over HTTP for the demo, with errors that say which step failed and
 * what the server answered, never what secret was sent.
 * @module
 */

/** A demo step failed; the message says what to do about it. */
export class DemoError extends Error {
  override readonly name = "DemoError";
}

/** One request's description, for error messages. */
export interface JsonRequest {
  /** What the request is for, e.g. "register the session". */
  purpose: string;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Answers other than these are errors. Default: any 2xx. */
  expectStatus?: readonly number[];
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Sends the request and returns the parsed JSON answer.
 * @throws DemoError when the server is unreachable, answers an unexpected
 *   status, or answers something that is not JSON
 */
export async function requestJson(request: JsonRequest): Promise<unknown> {
  const res = await send(request);
  const text = await res.text();
  const expected = request.expectStatus ?? [];
  const statusOk = expected.length > 0 ? expected.includes(res.status) : res.ok;
  if (!statusOk) {
    throw new DemoError(
      `Could not ${request.purpose}: ${request.method ?? "GET"} ${request.url} ` +
        `answered ${res.status}: ${text.slice(0, 500)}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DemoError(`Could not ${request.purpose}: the answer is not JSON: ${text}`);
  }
}

async function send(request: JsonRequest): Promise<Response> {
  const { body } = request;
  const isRaw = typeof body === "string";
  const contentType = isRaw ? {} : { "content-type": "application/json" };
  try {
    return await fetch(request.url, {
      method: request.method ?? "GET",
      headers: { ...(body === undefined ? {} : contentType), ...request.headers },
      body: body === undefined || isRaw ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const reason = error instanceof Error ? describeNetworkError(error) : String(error);
    throw new DemoError(`Could not ${request.purpose}: ${request.url}: ${reason}`);
  }
}

/** fetch hides the useful part (ECONNREFUSED) in `cause`. */
function describeNetworkError(error: Error): string {
  const cause = error.cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
