import { evictDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SESSION_SECRET, getSession, registerSession } from "./helpers/api.ts";
import { fireAlarm, stubOf } from "./helpers/alarms.ts";
import { complete, heartbeat } from "./helpers/envelopes.ts";
import { ONE_STEP, ONE_STEP_REPORT } from "./helpers/flows.ts";
import { openSocket } from "./helpers/socket.ts";
import { webApp } from "./helpers/web-app.ts";

async function connect() {
  const session = await registerSession();
  const socket = await openSocket(
    `/sessions/${session.sessionId}/ingest`,
    session.ingestToken,
  );
  return { session, socket };
}

describe("WebSocket ingest", () => {
  it("acks each message once stored, with its counts", async () => {
    const { session, socket } = await connect();

    expect(await socket.send(JSON.stringify(ONE_STEP[0]))).toEqual({
      type: "ack",
      accepted: 1,
      ignored: 0,
    });
    expect(await socket.send(JSON.stringify([ONE_STEP[1], heartbeat()]))).toEqual({
      type: "ack",
      accepted: 1,
      ignored: 1,
    });
    const totals = (await getSession(session.sessionId)).usage.totals;
    expect([totals.tokensIn, totals.tokensOut]).toEqual([1000, 200]);
  });

  it("answers a malformed message with an error and stays open", async () => {
    const { session, socket } = await connect();

    const bad = await socket.send("{not json");
    expect(bad).toMatchObject({ type: "error", error: { code: "invalid_request" } });
    const invalid = await socket.send(
      JSON.stringify({ streamEventType: "complete", data: { exitCode: "zero" } }),
    );
    expect(invalid).toMatchObject({ type: "error", error: { code: "invalid_request" } });
    expect((await getSession(session.sessionId)).status).toBe("running");

    expect(await socket.send(JSON.stringify(heartbeat()))).toMatchObject({ type: "ack" });
  });

  it("changes no total when a reconnecting wrapper sends the same events again", async () => {
    const { session, socket } = await connect();
    await socket.send(JSON.stringify(ONE_STEP));
    socket.close();

    const again = await openSocket(
      `/sessions/${session.sessionId}/ingest`,
      session.ingestToken,
    );
    expect(await again.send(JSON.stringify(ONE_STEP))).toEqual({
      type: "ack",
      accepted: 0,
      ignored: 2,
    });
    const totals = (await getSession(session.sessionId)).usage.totals;
    expect([totals.tokensIn, totals.tokensOut, totals.costUsd]).toEqual([
      1000, 200, 0.0123,
    ]);
  });

  it("ends the session on a terminal signal and delivers usage then the callback", async () => {
    const web = webApp();
    const { session, socket } = await connect();
    await socket.send(JSON.stringify(ONE_STEP));

    expect(await socket.send(JSON.stringify(complete(0)))).toMatchObject({ accepted: 1 });
    await fireAlarm(session.sessionId);

    expect(web.received.map((r) => r.kind)).toEqual(["usage", "callback"]);
    expect(web.of("usage")[0]?.body).toEqual(ONE_STEP_REPORT);
  });

  it("keeps serving a socket across hibernation", async () => {
    const { session, socket } = await connect();
    await socket.send(JSON.stringify(ONE_STEP[0]));

    await evictDurableObject(stubOf(session.sessionId), { webSockets: "hibernate" });

    expect(await socket.send(JSON.stringify(ONE_STEP[1]))).toMatchObject({ accepted: 1 });
    expect((await getSession(session.sessionId)).usage.totals.tokensOut).toBe(200);
  });

  it("refuses an upgrade with another session's token", async () => {
    const a = await registerSession();
    const b = await registerSession();
    const response = await exports.default.fetch(
      `https://session.test/sessions/${b.sessionId}/ingest`,
      {
        headers: { upgrade: "websocket", authorization: `Bearer ${a.ingestToken}` },
      },
    );
    expect(response.status).toBe(401);
  });

  it("answers 404 for a session never registered", async () => {
    const response = await exports.default.fetch(
      "https://session.test/sessions/nobody-here/ingest",
      {
        headers: { upgrade: "websocket", authorization: `Bearer ${SESSION_SECRET}` },
      },
    );
    expect(response.status).toBe(404);
  });

  it("answers 400 to a plain GET without an upgrade", async () => {
    const { sessionId, ingestToken } = await registerSession();
    const response = await exports.default.fetch(
      `https://session.test/sessions/${sessionId}/ingest`,
      {
        headers: { authorization: `Bearer ${ingestToken}` },
      },
    );
    expect(response.status).toBe(400);
  });
});
