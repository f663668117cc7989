// The recorded review: the committed files are what the generator builds,
// and the stream holds the traps that the ledger must survive.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildReviewFixture } from "../../tools/fixture/build-fixture.ts";
import { EXPECTED_PATH, STREAM_PATH } from "../../tools/fixture/paths.ts";
import type { Envelope } from "../../tools/fixture/timeline.ts";

const fixture = buildReviewFixture();
const MAX_HEARTBEAT_GAP_MS = 21_000;

interface AssistantUpdate {
  messageId: string;
  cost: number;
  /** input + output + reasoning + cache, as the update shows them. */
  tokens: number;
  completed: boolean;
}

interface TokenFields {
  input: number;
  output: number;
  reasoning: number;
  cache: { read: number; write: number };
}

/** The bus event of a `kilocode` envelope, loosely typed for inspection. */
function busEvent(
  envelope: Envelope,
): { type: string; properties: Record<string, unknown> } | null {
  if (envelope.streamEventType !== "kilocode") return null;
  return envelope.data as { type: string; properties: Record<string, unknown> };
}

function assistantUpdates(envelopes: readonly Envelope[]): AssistantUpdate[] {
  return envelopes.flatMap((envelope) => {
    const event = busEvent(envelope);
    if (event?.type !== "message.updated") return [];
    const info = event.properties.info as Record<string, unknown>;
    if (info.role !== "assistant") return [];
    const time = info.time as { completed?: number };
    const t = info.tokens as TokenFields;
    return [
      {
        messageId: info.id as string,
        cost: info.cost as number,
        tokens: t.input + t.output + t.reasoning + t.cache.read + t.cache.write,
        completed: time.completed !== undefined,
      },
    ];
  });
}

describe("review fixture", () => {
  it("matches what the generator builds (run npm run fixture if not)", () => {
    expect(readFileSync(STREAM_PATH, "utf8")).toBe(fixture.ndjson);
    expect(readFileSync(EXPECTED_PATH, "utf8")).toBe(fixture.expectedJson);
  });

  it("builds the same bytes every time", () => {
    expect(buildReviewFixture().ndjson).toBe(fixture.ndjson);
  });

  it("holds a few hundred envelopes, each in the wire format", () => {
    expect(fixture.envelopes.length).toBeGreaterThanOrEqual(300);
    expect(fixture.envelopes.length).toBeLessThanOrEqual(500);
    for (const envelope of fixture.envelopes) {
      expect(Object.keys(envelope)).toEqual(["streamEventType", "timestamp", "data"]);
      expect(new Date(envelope.timestamp).toISOString()).toBe(envelope.timestamp);
    }
  });

  it("starts with started and ends with a successful complete", () => {
    const types = fixture.envelopes.map((envelope) => envelope.streamEventType);
    expect(types.indexOf("started")).toBeLessThan(types.indexOf("kilocode"));
    expect(fixture.envelopes.at(-1)).toMatchObject({
      streamEventType: "complete",
      data: { exitCode: 0, currentBranch: fixture.expected.currentBranch },
    });
  });

  it("sends a heartbeat at least every 21 s of timeline", () => {
    const beatsMs = fixture.envelopes
      .filter((envelope) => envelope.streamEventType === "heartbeat")
      .map((envelope) => Date.parse(envelope.timestamp));
    const gapsMs = beatsMs
      .slice(1)
      .map((beatMs, index) => beatMs - (beatsMs[index] ?? 0));
    expect(beatsMs.length).toBeGreaterThan(10);
    expect(Math.max(...gapsMs)).toBeLessThanOrEqual(MAX_HEARTBEAT_GAP_MS);
  });

  it("resends some envelopes verbatim, as a reconnecting wrapper does", () => {
    const lines = fixture.ndjson.trimEnd().split("\n");
    expect(lines.length - new Set(lines).size).toBe(fixture.expected.stream.resent);
    expect(fixture.expected.stream.resent).toBeGreaterThan(0);
  });

  it("delivers one message's cost updates out of order", () => {
    const updates = assistantUpdates(fixture.envelopes);
    const messageIds = [...new Set(updates.map((update) => update.messageId))];
    const decreasing = messageIds.filter((id) => {
      const costs = updates.filter((u) => u.messageId === id).map((u) => u.cost);
      return costs.some((cost, index) => index > 0 && cost < (costs[index - 1] ?? 0));
    });
    expect(decreasing.length).toBeGreaterThanOrEqual(1);
  });

  it("reports the sonnet root as the model, with the haiku sub-agent beside it", () => {
    const { byModel, model, footer } = fixture.expected;
    const sonnet = byModel["anthropic/claude-sonnet-4.6"];
    const haiku = byModel["anthropic/claude-haiku-4-5"];
    expect(model).toBe("anthropic/claude-sonnet-4.6");
    expect((sonnet?.tokensIn ?? 0) / (haiku?.tokensIn ?? 1)).toBeGreaterThan(5);
    expect(footer).toMatch(
      /^Reviewed by claude-sonnet-4\.6 \u00b7 \d{1,3}(,\d{3})+ tokens$/,
    );
  });

  it("defeats the naive sums of message updates", () => {
    const updates = assistantUpdates(fixture.envelopes);
    const trueTokens = fixture.expected.totalTokensIn + fixture.expected.totalTokensOut;
    const finalTokens = updates
      .filter((update) => update.completed)
      .reduce((sum, update) => sum + update.tokens, 0);
    const allCosts = updates.reduce((sum, update) => sum + update.cost, 0);
    // Final updates carry only their last step's tokens; every update
    // repeats the cost so far.
    expect(finalTokens).toBeLessThan(trueTokens / 2);
    expect(allCosts).toBeGreaterThan(fixture.expected.totalCost * 2);
  });
});
