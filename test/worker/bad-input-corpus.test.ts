/**
 * A corpus of bad requests against every route. Each is answered with the
 * right 4xx and a JSON error, and leaves the session exactly as it was.
 */
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Registered } from "./helpers/api.ts";
import {
  ADMIN_SECRET,
  SESSION_SECRET,
  getSession,
  postEvents,
  registerSession,
} from "./helpers/api.ts";
import type { BadRequest } from "./helpers/bad-requests.ts";
import { CALLBACK_URLS, CORPUS } from "./helpers/bad-requests.ts";
import { assistantMessage, stepFinish } from "./helpers/envelopes.ts";
import { ONE_STEP } from "./helpers/flows.ts";

let session: Registered;
let other: Registered;
let baseline: unknown;

function tokenFor(name: string | null | undefined): string | null {
  const tokens: Record<string, string> = {
    "{ingest}": session.ingestToken,
    "{other}": other.ingestToken,
    "{session}": SESSION_SECRET,
    "{admin}": ADMIN_SECRET,
  };
  return name ? (tokens[name] ?? name) : null;
}

async function send(bad: BadRequest): Promise<Response> {
  const headers = new Headers();
  const token = tokenFor(bad.token);
  if (token) headers.set("authorization", `Bearer ${token}`);
  if (bad.contentType) headers.set("content-type", bad.contentType);
  const path = bad.path
    .replace("{id}", session.sessionId)
    .replace("{new}", `fresh-${Date.now()}`);
  return exports.default.fetch(
    new Request(`https://session.test${path}`, {
      method: bad.method,
      headers,
      body: bad.body,
    }),
  );
}

describe("bad input corpus", () => {
  beforeAll(async () => {
    session = await registerSession({}, "corpus-session");
    other = await registerSession({}, "corpus-other");
    await postEvents(session, [
      ...ONE_STEP,
      assistantMessage({ id: "m2", cost: 0.002, tokens: { output: 9 } }),
      stepFinish({ id: "p2", messageID: "m2", cost: 0.002, tokens: { output: 9 } }),
    ]);
    baseline = await getSession(session.sessionId, true);
  });

  it.each([...CORPUS, ...CALLBACK_URLS])(
    "answers $name with $status $code",
    async (bad) => {
      const response = await send(bad);

      expect(response.status).toBe(bad.status);
      const body = await response.json<{ error: { code: string; message: string } }>();
      expect(body.error.code).toBe(bad.code);
      expect(body.error.message.length).toBeGreaterThan(0);
      expect(await getSession(session.sessionId, true)).toEqual(baseline);
    },
  );

  it("keeps serving afterwards", async () => {
    expect((await exports.default.fetch("https://session.test/health")).status).toBe(200);
    const { status, body } = await postEvents(session, [
      stepFinish({ id: "p3", messageID: "m2", tokens: { output: 1 } }),
    ]);
    expect(status).toBe(202);
    expect(body).toEqual({ accepted: 1, ignored: 0 });
    expect((await getSession(session.sessionId)).usage.totals.output).toBe(210);
  });
});
