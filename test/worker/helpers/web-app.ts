/**
 * A recording stand-in for the web app's usage endpoint and a callback
 * receiver, as msw handlers. Each answer can be scripted per request.
 */
import type { HttpResponseResolver } from "msw";
import { http, HttpResponse } from "msw";
import { network } from "./network.ts";
import { HOOKS, WEB } from "./api.ts";

export interface Received {
  kind: "usage" | "callback";
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  atMs: number;
}

/** An answer: a status (with optional headers), or "network-error". */
export type Answer =
  number | { status: number; headers?: Record<string, string> } | "network-error";

/** Installs handlers that answer from `script` (then 200) and records every request. */
export function webApp(script: { usage?: Answer[]; callback?: Answer[] } = {}) {
  const received: Received[] = [];
  const queues = {
    usage: [...(script.usage ?? [])],
    callback: [...(script.callback ?? [])],
  };

  const handle =
    (kind: "usage" | "callback"): HttpResponseResolver =>
    async ({ request }) => {
      received.push({
        kind,
        url: request.url,
        headers: Object.fromEntries(request.headers),
        body: JSON.parse(await request.text()) as Record<string, unknown>,
        atMs: Date.now(),
      });
      const answer = queues[kind].shift() ?? 200;
      if (answer === "network-error") return HttpResponse.error();
      const { status, headers } =
        typeof answer === "number" ? { status: answer } : answer;
      return HttpResponse.json({ ok: status < 300 }, { status, headers });
    };

  network.use(
    http.post(`${WEB}/api/internal/code-review-usage/:reviewId`, handle("usage")),
    http.post(`${HOOKS}/status/:reviewId`, handle("callback")),
  );
  return {
    received,
    of: (kind: "usage" | "callback") => received.filter((r) => r.kind === kind),
  };
}
