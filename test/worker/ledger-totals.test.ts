/**
 * The ledger's pure parts: reading envelopes (`parseEnvelope`) and summing
 * stored records (`computeTotals`), without storage or HTTP.
 */
import { describe, expect, it } from "vitest";
import { EnvelopeError, parseEnvelope } from "../../src/ledger/envelope.ts";
import type { StepSum } from "../../src/ledger/ledger-store.ts";
import { computeTotals, hasUsage } from "../../src/ledger/totals.ts";
import type { MessageRecord, TokenCounts } from "../../src/ledger/usage.ts";
import { nanoUsdToUsd, usdToNanoUsd, zeroTokens } from "../../src/ledger/usage.ts";
import {
  assistantMessage,
  busEvent,
  complete,
  fatalError,
  heartbeat,
  interrupted,
  output,
  stepFinish,
} from "./helpers/envelopes.ts";

const SONNET = "anthropic/claude-sonnet-4.6";
const HAIKU = "anthropic/claude-haiku-4-5";

function tokens(partial: Partial<TokenCounts>): TokenCounts {
  return { ...zeroTokens(), ...partial };
}

function message(partial: Partial<MessageRecord> & { id: string }): MessageRecord {
  return {
    agentSessionId: "ses_root",
    model: SONNET,
    completed: true,
    createdAtMs: 1_000,
    tokens: zeroTokens(),
    costNanoUsd: 0,
    ...partial,
  };
}

function stepSum(partial: Partial<StepSum> & { messageId: string }): StepSum {
  return { steps: 1, tokens: zeroTokens(), costNanoUsd: 0, ...partial };
}

describe("parseEnvelope", () => {
  it("reads an assistant message in the ledger's units", () => {
    const envelope = assistantMessage({
      id: "m1",
      sessionID: "ses_a",
      cost: 0.0123,
      tokens: { input: 1, output: 2, reasoning: 3, cacheRead: 4, cacheWrite: 5 },
      created: 1_700_000_000_000,
      completed: true,
    });

    expect(parseEnvelope(envelope, "[0]")).toEqual({
      kind: "message",
      message: {
        id: "m1",
        agentSessionId: "ses_a",
        model: SONNET,
        completed: true,
        createdAtMs: 1_700_000_000_000,
        tokens: { input: 1, output: 2, reasoning: 3, cacheRead: 4, cacheWrite: 5 },
        costNanoUsd: 12_300_000,
      },
    });
  });

  it("keeps a modelID that holds a path and prefixes one that does not", () => {
    const withPath = assistantMessage({ id: "m1", modelID: SONNET, providerID: "kilo" });
    const bare = assistantMessage({
      id: "m2",
      modelID: "claude-sonnet-4-5",
      providerID: "anthropic",
    });

    expect(parseEnvelope(withPath, "[0]")).toMatchObject({ message: { model: SONNET } });
    expect(parseEnvelope(bare, "[1]")).toMatchObject({
      message: { model: "anthropic/claude-sonnet-4-5" },
    });
  });

  it("reads a step-finish part as a step of its message", () => {
    const envelope = stepFinish({
      id: "p1",
      messageID: "m1",
      sessionID: "ses_child",
      cost: 0.5,
      tokens: { input: 10, cacheWrite: 7 },
    });

    expect(parseEnvelope(envelope, "[0]")).toEqual({
      kind: "step",
      step: {
        id: "p1",
        messageId: "m1",
        agentSessionId: "ses_child",
        tokens: tokens({ input: 10, cacheWrite: 7 }),
        costNanoUsd: 500_000_000,
      },
    });
  });

  it("treats envelopes that carry no usage as noise", () => {
    const noise = [
      heartbeat(),
      output("hello"),
      busEvent("session.idle", { sessionID: "ses_root" }),
      busEvent("message.updated", { info: { id: "u1", role: "user" } }),
      busEvent("message.part.updated", { part: { id: "t1", type: "text" } }),
      { streamEventType: "error", timestamp: "", data: { message: "retrying" } },
      { streamEventType: "started", timestamp: "", data: {} },
    ];

    for (const envelope of noise) {
      expect(parseEnvelope(envelope, "[0]")).toEqual({ kind: "noise" });
    }
  });

  it("reads exit code 0 as completed with the branch", () => {
    expect(parseEnvelope(complete(0, "feature/x"), "[0]")).toEqual({
      kind: "terminal",
      signal: { status: "completed", lastSeenBranch: "feature/x" },
    });
  });

  it("reads another exit code as failed, naming the code", () => {
    expect(parseEnvelope(complete(3), "[0]")).toEqual({
      kind: "terminal",
      signal: { status: "failed", errorMessage: "agent exited with code 3" },
    });
  });

  it("reads interrupted as terminal", () => {
    expect(parseEnvelope(interrupted(), "[0]")).toEqual({
      kind: "terminal",
      signal: { status: "interrupted" },
    });
  });

  it("reads a fatal error as failed, with its message", () => {
    expect(parseEnvelope(fatalError("out of memory"), "[0]")).toEqual({
      kind: "terminal",
      signal: { status: "failed", errorMessage: "out of memory" },
    });
  });

  it("rejects a negative token count with its path", () => {
    const envelope = stepFinish({ id: "p1", messageID: "m1", tokens: { input: -1 } });

    expect(() => parseEnvelope(envelope, "[4]")).toThrow(EnvelopeError);
    expect(() => parseEnvelope(envelope, "[4]")).toThrow(
      /^\[4\]\.data\.properties\.part\.tokens\.input: /,
    );
  });

  it("rejects a complete envelope without an exit code", () => {
    const envelope = { streamEventType: "complete", timestamp: "", data: {} };

    expect(() => parseEnvelope(envelope, "[0]")).toThrow(/^\[0\]\.data\.exitCode: /);
  });

  it("rejects an envelope without a streamEventType", () => {
    expect(() => parseEnvelope({ data: {} }, "[2]")).toThrow(/^\[2\]\.streamEventType: /);
  });
});

describe("computeTotals", () => {
  it("sums a message's steps instead of its own last-step tokens", () => {
    const m1 = message({ id: "m1", tokens: tokens({ input: 30 }), costNanoUsd: 60 });
    const sums = [
      stepSum({
        messageId: "m1",
        steps: 3,
        tokens: tokens({ input: 60 }),
        costNanoUsd: 60,
      }),
    ];

    const totals = computeTotals([m1], sums);

    expect(totals.total).toEqual({ tokens: tokens({ input: 60 }), costNanoUsd: 60 });
    expect(totals).toMatchObject({ messages: 1, steps: 3, model: SONNET });
  });

  it("falls back to the message's own figures when it has no steps", () => {
    const m1 = message({ id: "m1", tokens: tokens({ output: 9 }), costNanoUsd: 5 });

    const totals = computeTotals([m1], []);

    expect(totals.total).toEqual({ tokens: tokens({ output: 9 }), costNanoUsd: 5 });
    expect(totals.steps).toBe(0);
  });

  it("counts steps whose message never came under no model", () => {
    const sums = [
      stepSum({ messageId: "m9", tokens: tokens({ input: 4 }), costNanoUsd: 1 }),
    ];

    const totals = computeTotals([], sums);

    expect(totals.byModel).toEqual([
      {
        model: null,
        messages: 0,
        steps: 1,
        tokens: tokens({ input: 4 }),
        costNanoUsd: 1,
      },
    ]);
    expect(totals.model).toBeNull();
  });

  it("picks the model with the most tokens in and out, cache included", () => {
    const messages = [
      message({
        id: "m1",
        model: SONNET,
        tokens: tokens({ input: 10, cacheRead: 1_000 }),
      }),
      message({ id: "m2", model: HAIKU, tokens: tokens({ input: 500, output: 400 }) }),
    ];

    expect(computeTotals(messages, []).model).toBe(SONNET);
  });

  it("breaks a tie with the model whose latest message was created last", () => {
    const messages = [
      message({
        id: "m1",
        model: HAIKU,
        createdAtMs: 2_000,
        tokens: tokens({ input: 5 }),
      }),
      message({
        id: "m2",
        model: SONNET,
        createdAtMs: 1_000,
        tokens: tokens({ output: 5 }),
      }),
    ];

    expect(computeTotals(messages, []).model).toBe(HAIKU);
  });

  it("lists models in name order, each with its own sums", () => {
    const messages = [
      message({ id: "m1", model: SONNET, tokens: tokens({ input: 1 }), costNanoUsd: 1 }),
      message({ id: "m2", model: HAIKU, tokens: tokens({ input: 2 }), costNanoUsd: 2 }),
      message({ id: "m3", model: SONNET, tokens: tokens({ input: 3 }), costNanoUsd: 3 }),
    ];

    const { byModel } = computeTotals(messages, []);

    expect(
      byModel.map((m) => [m.model, m.messages, m.tokens.input, m.costNanoUsd]),
    ).toEqual([
      [HAIKU, 1, 2, 2],
      [SONNET, 2, 4, 4],
    ]);
  });

  it("has no usage when nothing was spent", () => {
    expect(hasUsage(computeTotals([message({ id: "m1" })], []))).toBe(false);
  });

  it("has usage when only a cost was recorded", () => {
    const m1 = message({ id: "m1", costNanoUsd: 1 });

    expect(hasUsage(computeTotals([m1], []))).toBe(true);
  });
});

describe("cost units", () => {
  it("turns float dollars into exact nanodollars", () => {
    expect(usdToNanoUsd(0.1) + usdToNanoUsd(0.2)).toBe(usdToNanoUsd(0.3));
    expect(usdToNanoUsd(0.000001)).toBe(1_000);
  });

  it("rounds nanodollars to the microdollar, half up", () => {
    expect(nanoUsdToUsd(1_234_500)).toBe(0.001235);
    expect(nanoUsdToUsd(1_234_499)).toBe(0.001234);
    expect(nanoUsdToUsd(10_000_000)).toBe(0.01);
  });
});
