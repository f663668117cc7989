/**
 * `POST /sessions/:id/events`: the body's type, format and limits. The
 * ledger's rules for what is inside the envelopes are in ledger-*.test.ts.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Registered } from "./helpers/api.ts";
import { SESSION_SECRET, call, registerSession, uniqueId } from "./helpers/api.ts";
import { assistantMessage, heartbeat, output, stepFinish } from "./helpers/envelopes.ts";
import { usageOf } from "./helpers/ledger.ts";

const MIB = 1024 * 1024;

function postRaw(session: Registered, rawBody: string, contentType: string | null) {
  return call("POST", `/sessions/${session.sessionId}/events`, {
    token: session.ingestToken,
    rawBody,
    contentType,
  });
}

async function errorOf(response: Response) {
  const body = await response.json<{ error: { code: string; message: string } }>();
  return { status: response.status, ...body.error };
}

/** A JSON array of one output envelope, padded to exactly `bytes` bytes. */
function bodyOfSize(bytes: number): string {
  const empty = JSON.stringify([output("")]);
  return JSON.stringify([output("x".repeat(bytes - empty.length))]);
}

describe("content type", () => {
  it("refuses a body that is not JSON or NDJSON", async () => {
    const session = await registerSession();

    const response = await postRaw(session, "[]", "text/plain");

    expect(await errorOf(response)).toMatchObject({
      status: 415,
      code: "unsupported_media_type",
    });
  });

  it("refuses a body without a content type", async () => {
    const session = await registerSession();

    const response = await postRaw(session, "[]", null);

    expect(response.status).toBe(415);
  });

  it("accepts one envelope a line as NDJSON, blank lines skipped", async () => {
    const session = await registerSession();
    const figures = { cost: 0.01, tokens: { input: 100, output: 10 } };
    const lines = [
      assistantMessage({ id: "m1", ...figures, completed: true }),
      stepFinish({ id: "p1", messageID: "m1", ...figures }),
      heartbeat(),
    ].map((envelope) => JSON.stringify(envelope));

    const response = await postRaw(
      session,
      `${lines.join("\r\n")}\n\n`,
      "application/x-ndjson",
    );

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 2, ignored: 1 });
    expect((await usageOf(session.sessionId)).totals.tokensIn).toBe(100);
  });

  it("accepts a JSON content type with a charset", async () => {
    const session = await registerSession();

    const response = await postRaw(session, "[]", "application/json; charset=utf-8");

    expect(response.status).toBe(202);
  });
});

describe("malformed bodies", () => {
  it("refuses malformed JSON", async () => {
    const session = await registerSession();

    const response = await postRaw(session, '[{"streamEventType":', "application/json");

    expect(await errorOf(response)).toMatchObject({
      status: 400,
      code: "invalid_request",
    });
  });

  it("refuses an NDJSON line that is not JSON, naming the line", async () => {
    const session = await registerSession();
    const body = `${JSON.stringify(heartbeat())}\nnot json\n`;

    const response = await postRaw(session, body, "application/x-ndjson");

    expect(await errorOf(response)).toMatchObject({
      status: 400,
      code: "invalid_request",
      message: "line 2 is not valid JSON",
    });
  });

  it("refuses JSON that is not an array", async () => {
    const session = await registerSession();

    const response = await postRaw(
      session,
      JSON.stringify(heartbeat()),
      "application/json",
    );

    expect(await errorOf(response)).toMatchObject({
      status: 400,
      code: "invalid_request",
    });
  });

  it("refuses an envelope that is not an object, with its index", async () => {
    const session = await registerSession();

    const response = await postRaw(
      session,
      JSON.stringify([heartbeat(), 5]),
      "application/json",
    );
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body).toMatchObject({ error: { details: [{ path: "[1]" }] } });
  });
});

describe("limits", () => {
  it("accepts 1,000 events", async () => {
    const session = await registerSession();
    const events = Array.from({ length: 1_000 }, () => heartbeat());

    const response = await postRaw(session, JSON.stringify(events), "application/json");

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 0, ignored: 1_000 });
  });

  it("refuses 1,001 events with 413", async () => {
    const session = await registerSession();
    const events = Array.from({ length: 1_001 }, () => heartbeat());

    const response = await postRaw(session, JSON.stringify(events), "application/json");

    expect(await errorOf(response)).toMatchObject({
      status: 413,
      code: "payload_too_large",
    });
  });

  it("refuses 1,001 NDJSON lines with 413", async () => {
    const session = await registerSession();
    const lines = Array.from({ length: 1_001 }, () => JSON.stringify(heartbeat()));

    const response = await postRaw(session, lines.join("\n"), "application/x-ndjson");

    expect(response.status).toBe(413);
  });

  it("accepts a body of exactly 1 MiB", async () => {
    const session = await registerSession();

    const response = await postRaw(session, bodyOfSize(MIB), "application/json");

    expect(response.status).toBe(202);
  });

  it("refuses a body one byte over 1 MiB with 413", async () => {
    const session = await registerSession();

    const response = await postRaw(session, bodyOfSize(MIB + 1), "application/json");

    expect(await errorOf(response)).toMatchObject({
      status: 413,
      code: "payload_too_large",
    });
  });

  it("refuses a streamed body over 1 MiB that declares no length", async () => {
    const session = await registerSession();
    const chunk = new TextEncoder().encode(bodyOfSize(64 * 1024));
    let sent = 0;
    // Pulled chunk by chunk; the reader stops (and workerd logs the aborted
    // pipe) once the cap is passed.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 20) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const request = new Request(
      `https://session.test/sessions/${session.sessionId}/events`,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${session.ingestToken}`,
          "content-type": "application/json",
        },
        body,
      },
    );

    expect(request.headers.get("content-length")).toBeNull();

    const response = await exports.default.fetch(request);

    expect(await errorOf(response)).toMatchObject({ status: 413 });
  });
});

describe("sessions", () => {
  it("answers 404 for a session never registered", async () => {
    const response = await call("POST", `/sessions/${uniqueId()}/events`, {
      token: SESSION_SECRET,
      body: [heartbeat()],
    });

    expect(await errorOf(response)).toMatchObject({ status: 404, code: "not_found" });
  });
});
