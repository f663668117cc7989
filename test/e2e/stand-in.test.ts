// The web app stand-in, driven over real HTTP on a free port: the rules of
// the usage endpoint and the status callback, the footer, and the faults
// that end-to-end tests inject.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { displayModel, renderFooter } from "../../tools/web-app/reviews.ts";
import { startWebAppStandIn } from "../../tools/web-app/stand-in.ts";
import type { WebAppStandIn } from "../../tools/web-app/stand-in.ts";

const SECRET = "stand-in-test-secret-41f8";
const IDEMPOTENCY_KEY = "idem-key-6b2d";

const SONNET_USAGE = {
  model: "anthropic/claude-sonnet-4.6",
  totalTokensIn: 10_000,
  totalTokensOut: 3_579,
  totalCost: 0.1234567,
};

function statusBody(status: string, extra: Record<string, unknown> = {}) {
  return {
    sessionId: "sess-1",
    cloudAgentSessionId: "sess-1",
    executionId: "exec-1",
    status,
    lastSeenBranch: "feature/x",
    ...extra,
  };
}

let standIn: WebAppStandIn;
let logLines: string[];

beforeEach(async () => {
  logLines = [];
  standIn = await startWebAppStandIn({
    internalSecret: SECRET,
    log: (line) => logLines.push(line),
  });
});

afterEach(async () => {
  await standIn.close();
});

/** POSTs to an internal endpoint, with the secret unless headers say otherwise. */
function callEndpoint(
  kind: "usage" | "status",
  reviewId: string,
  body: unknown,
  headers: Record<string, string> = { "X-Internal-Secret": SECRET },
): Promise<Response> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return fetch(`${standIn.url}/api/internal/code-review-${kind}/${reviewId}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: text,
  });
}

describe("footer rendering", () => {
  it("groups the token total in en-US style", () => {
    const footer = renderFooter({ ...SONNET_USAGE, totalTokensIn: 1_200_000 });
    expect(footer).toBe("Reviewed by claude-sonnet-4.6 \u00b7 1,203,579 tokens");
  });

  it("strips only the first path segment of the model", () => {
    expect(displayModel("anthropic/claude-sonnet-4.6")).toBe("claude-sonnet-4.6");
    expect(displayModel("openrouter/anthropic/claude")).toBe("anthropic/claude");
    expect(displayModel("claude-haiku-4-5")).toBe("claude-haiku-4-5");
  });

  it("renders nothing without a model or both token totals", () => {
    expect(renderFooter({ model: "a/b", totalTokensIn: 1 })).toBeNull();
    expect(renderFooter({ totalTokensIn: 1, totalTokensOut: 2 })).toBeNull();
  });
});

describe("usage endpoint", () => {
  it("stores the usage and answers success", async () => {
    standIn.createReview("r1");

    const res = await callEndpoint("usage", "r1", { ...SONNET_USAGE, extra: "dropped" });

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true });
    expect(standIn.getReview("r1")?.usage).toEqual({
      model: "anthropic/claude-sonnet-4.6",
      totalTokensIn: 10_000,
      totalTokensOut: 3_579,
      totalCostMicroUsd: 123_457,
    });
  });

  it("overwrites only the fields a later call carries", async () => {
    standIn.createReview("r1");
    await callEndpoint("usage", "r1", SONNET_USAGE);

    await callEndpoint("usage", "r1", { totalTokensOut: 5 });

    const usage = standIn.getReview("r1")?.usage;
    expect(usage?.totalTokensOut).toBe(5);
    expect(usage?.totalTokensIn).toBe(10_000);
  });

  it("answers 401 to a missing or wrong secret", async () => {
    standIn.createReview("r1");

    const missing = await callEndpoint("usage", "r1", SONNET_USAGE, {});
    const wrong = await callEndpoint("usage", "r1", SONNET_USAGE, {
      "X-Internal-Secret": "nope",
    });

    expect(missing.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: "Unauthorized" });
    expect(standIn.getReview("r1")?.usage).toEqual({});
  });

  it("answers 400 with the failing fields to a bad payload", async () => {
    standIn.createReview("r1");

    const res = await callEndpoint("usage", "r1", { totalTokensIn: 1.5, totalCost: -1 });

    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; details: { path: string }[] };
    expect(body.error).toBe("Invalid payload");
    expect(body.details.map((issue) => issue.path)).toEqual([
      "totalTokensIn",
      "totalCost",
    ]);
  });

  it("answers 404 to an unknown review", async () => {
    const res = await callEndpoint("usage", "missing", SONNET_USAGE);

    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "Review not found" });
  });

  it("answers 500 to malformed JSON", async () => {
    standIn.createReview("r1");

    const res = await callEndpoint("usage", "r1", "{not json");

    expect(res.status).toBe(500);
  });

  it("creates unknown reviews when told to", async () => {
    const autoStandIn = await startWebAppStandIn({
      internalSecret: SECRET,
      autoCreateReviews: true,
    });
    try {
      const res = await fetch(`${autoStandIn.url}/api/internal/code-review-usage/new`, {
        method: "POST",
        headers: { "X-Internal-Secret": SECRET },
        body: JSON.stringify(SONNET_USAGE),
      });
      expect(res.status).toBe(200);
      expect(autoStandIn.getReview("new")?.usage.totalTokensIn).toBe(10_000);
    } finally {
      await autoStandIn.close();
    }
  });
});

describe("status callback", () => {
  it("appends the footer when usage was stored first", async () => {
    standIn.createReview("r1");
    await callEndpoint("usage", "r1", SONNET_USAGE);

    const res = await callEndpoint("status", "r1", statusBody("completed"));

    expect(res.status).toBe(200);
    const review = standIn.getReview("r1");
    expect(review?.status).toBe("completed");
    expect(review?.footer).toBe("Reviewed by claude-sonnet-4.6 \u00b7 13,579 tokens");
    expect(review?.summary?.endsWith(review.footer ?? "?")).toBe(true);
  });

  it("writes no footer when usage was not stored before the callback", async () => {
    standIn.createReview("r1");
    await callEndpoint("usage", "r1", { model: SONNET_USAGE.model, totalTokensIn: 5 });

    await callEndpoint("status", "r1", statusBody("completed"));
    await callEndpoint("usage", "r1", SONNET_USAGE);

    const review = standIn.getReview("r1");
    expect(review?.summary).not.toBeNull();
    expect(review?.footer).toBeNull();
    expect(review?.usage.totalTokensOut).toBe(3_579);
  });

  it("ignores callbacks to a review that is already terminal", async () => {
    standIn.createReview("r1");
    await callEndpoint("status", "r1", statusBody("failed", { errorMessage: "boom" }));
    await callEndpoint("usage", "r1", SONNET_USAGE);

    const res = await callEndpoint("status", "r1", statusBody("completed"));

    expect(res.status).toBe(200);
    const review = standIn.getReview("r1");
    expect(review?.status).toBe("failed");
    expect(review?.footer).toBeNull();
    expect(review?.summary).toBeNull();
  });

  it("answers 400 to an unknown status or a missing id", async () => {
    standIn.createReview("r1");

    const badStatus = await callEndpoint("status", "r1", statusBody("done"));
    const noExecution = await callEndpoint("status", "r1", {
      ...statusBody("completed"),
      executionId: undefined,
    });

    expect(badStatus.status).toBe(400);
    expect(noExecution.status).toBe(400);
    expect(standIn.getReview("r1")?.status).toBe("running");
  });

  it("answers 401 and 404 like the usage endpoint", async () => {
    const unauthorized = await callEndpoint("status", "r1", statusBody("completed"), {});
    const notFound = await callEndpoint("status", "r1", statusBody("completed"));

    expect(unauthorized.status).toBe(401);
    expect(notFound.status).toBe(404);
  });
});

describe("faults", () => {
  it("answers queued faults once each, in order, then handles again", async () => {
    standIn.createReview("r1");
    standIn.injectFaults("usage", [
      { status: 503, headers: { "Retry-After": "1" } },
      { status: 500, body: "oops" },
    ]);

    const first = await callEndpoint("usage", "r1", SONNET_USAGE);
    const second = await callEndpoint("usage", "r1", SONNET_USAGE);
    const third = await callEndpoint("usage", "r1", SONNET_USAGE);

    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("1");
    expect(await second.text()).toBe("oops");
    expect(third.status).toBe(200);
    expect(standIn.requests.map((request) => request.answeredStatus)).toEqual([
      503, 500, 200,
    ]);
  });

  it("drops the connection for a drop fault, storing nothing", async () => {
    standIn.createReview("r1");
    standIn.injectFaults("usage", ["drop"]);

    await expect(callEndpoint("usage", "r1", SONNET_USAGE)).rejects.toThrow();

    expect(standIn.getReview("r1")?.usage).toEqual({});
    expect(standIn.requests[0]?.answeredStatus).toBeNull();
    expect((await callEndpoint("usage", "r1", SONNET_USAGE)).status).toBe(200);
  });

  it("drops every request of an unreachable kind until it is back", async () => {
    standIn.createReview("r1");
    standIn.setUnreachable("status", true);

    await expect(callEndpoint("status", "r1", statusBody("completed"))).rejects.toThrow();
    await expect(callEndpoint("status", "r1", statusBody("completed"))).rejects.toThrow();
    expect((await callEndpoint("usage", "r1", SONNET_USAGE)).status).toBe(200);

    standIn.setUnreachable("status", false);
    expect((await callEndpoint("status", "r1", statusBody("completed"))).status).toBe(
      200,
    );
  });
});

describe("recording and logging", () => {
  it("records requests in arrival order with body and idempotency key", async () => {
    standIn.createReview("r1");
    await callEndpoint("usage", "r1", SONNET_USAGE, {
      "X-Internal-Secret": SECRET,
      "Idempotency-Key": IDEMPOTENCY_KEY,
    });
    await callEndpoint("status", "r1", statusBody("completed"));
    await fetch(`${standIn.url}/elsewhere`);

    const [usage, status, other] = standIn.requests;
    expect(standIn.requests).toHaveLength(3);
    expect(usage).toMatchObject({ kind: "usage", reviewId: "r1", method: "POST" });
    expect(usage?.idempotencyKey).toBe(IDEMPOTENCY_KEY);
    expect(usage?.body).toEqual(SONNET_USAGE);
    expect(status).toMatchObject({ kind: "status", answeredStatus: 200 });
    expect(other).toMatchObject({ kind: "other", reviewId: null, answeredStatus: 404 });
  });

  it("logs one line per request and the summary, never header values", async () => {
    standIn.createReview("r1");
    await callEndpoint("usage", "r1", SONNET_USAGE, {
      "X-Internal-Secret": SECRET,
      "Idempotency-Key": IDEMPOTENCY_KEY,
    });
    await callEndpoint("status", "r1", statusBody("completed"), {
      "X-Internal-Secret": SECRET,
    });

    const log = logLines.join("\n");
    expect(logLines[0]).toMatch(
      /^usage +review=r1 +200 +model=anthropic\/claude-sonnet-4\.6/,
    );
    expect(log).toContain("cost=$0.123457");
    expect(log).toContain("Reviewed by claude-sonnet-4.6 \u00b7 13,579 tokens");
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain(IDEMPOTENCY_KEY);
  });
});

describe("control endpoints", () => {
  it("creates, reads and lists over HTTP without recording itself", async () => {
    const created = await fetch(`${standIn.url}/_stand-in/reviews/c1`, {
      method: "POST",
    });
    const again = await fetch(`${standIn.url}/_stand-in/reviews/c1`, { method: "POST" });
    const read = await fetch(`${standIn.url}/_stand-in/reviews/c1`);
    const missing = await fetch(`${standIn.url}/_stand-in/reviews/none`);
    const listed = await fetch(`${standIn.url}/_stand-in/requests`);

    expect([created.status, again.status, read.status, missing.status]).toEqual([
      201, 200, 200, 404,
    ]);
    expect(await read.json()).toMatchObject({ reviewId: "c1", status: "running" });
    expect(await listed.json()).toEqual([]);
  });
});
