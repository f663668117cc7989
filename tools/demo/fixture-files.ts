/**
 * The recorded review that the demo replays, and its answer key, both
 * written by `npm run fixture`.
 * @module
 */
import { readFileSync } from "node:fs";
import { EXPECTED_PATH, STREAM_PATH } from "../fixture/paths.ts";
import { numberAt, stringAt, valueAt } from "./json-path.ts";

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
  const text = readFileSync(STREAM_PATH, "utf8");
  return text.split("\n").filter((line) => line.trim() !== "");
}

/** The answer key. @throws DemoError naming a field that is missing */
export function readExpectedOutcome(): ExpectedOutcome {
  const json = JSON.parse(readFileSync(EXPECTED_PATH, "utf8")) as unknown;
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
