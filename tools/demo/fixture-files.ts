/**
 * The recorded review that the demo replays, and its answer key, both
 * written by `npm run fixture`.
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { numberAt, stringAt, valueAt } from "./json-path.ts";

const FIXTURE_DIR = join(import.meta.dirname, "..", "..", "test", "fixtures");

/** What the replay should produce. */
export interface ExpectedOutcome {
  model: string;
  totalTokensIn: number;
  totalTokensOut: number;
  totalCost: number;
  footer: string;
  byModel: Record<string, { tokensIn: number; tokensOut: number; costUsd: number }>;
  kiloSessionId: string;
  executionId: string;
}

/** The fixture's NDJSON lines, blank lines dropped. */
export function readFixtureLines(): string[] {
  const text = readFileSync(join(FIXTURE_DIR, "review-session.ndjson"), "utf8");
  return text.split("\n").filter((line) => line.trim() !== "");
}

/** The answer key. @throws DemoError naming a field that is missing */
export function readExpectedOutcome(): ExpectedOutcome {
  const path = join(FIXTURE_DIR, "review-session.expected.json");
  const json = JSON.parse(readFileSync(path, "utf8")) as unknown;
  // Model names hold dots, so entries are read by key, not by dotted path.
  const entries = Object.entries(valueAt(json, "byModel") ?? {});
  const byModel = Object.fromEntries(
    entries.map(([model, entry]: [string, unknown]) => [
      model,
      {
        tokensIn: numberAt(entry, "tokensIn"),
        tokensOut: numberAt(entry, "tokensOut"),
        costUsd: numberAt(entry, "costUsd"),
      },
    ]),
  );
  return {
    model: stringAt(json, "model"),
    totalTokensIn: numberAt(json, "totalTokensIn"),
    totalTokensOut: numberAt(json, "totalTokensOut"),
    totalCost: numberAt(json, "totalCost"),
    footer: stringAt(json, "footer"),
    byModel,
    kiloSessionId: stringAt(json, "kiloSessionId"),
    executionId: stringAt(json, "executionId"),
  };
}
