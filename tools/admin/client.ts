/** Calls the service's admin routes and turns every failure into a clear message. */

/** A failure the operator can act on; printed as is, never with the secret. */
export class AdminError extends Error {
  override readonly name = "AdminError";
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

async function describeFailure(response: Response, url: string): Promise<string> {
  const text = await response.text();
  let detail = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as ErrorBody;
    if (body.error) detail = `${body.error.code ?? "error"}: ${body.error.message ?? ""}`;
  } catch {
    // Not JSON: show the start of the text.
  }
  const hint =
    response.status === 401
      ? " (check ADMIN_API_SECRET: it must match the service's)"
      : response.status === 404
        ? " (no such session, or it was deleted after its retention)"
        : "";
  return `${url} answered ${response.status}: ${detail}${hint}`;
}

/**
 * Sends an admin request and returns its JSON body.
 * @throws AdminError when the service is unreachable or answers non-2xx.
 */
export async function adminRequest(
  url: string,
  secret: string,
  init: { method: string; body?: unknown },
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers: {
        authorization: `Bearer ${secret}`,
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AdminError(`cannot reach ${url}: ${reason} (is the service running?)`);
  }
  if (!response.ok) throw new AdminError(await describeFailure(response, url));
  return response.json();
}
