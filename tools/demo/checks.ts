/**
 * What the demo verifies after a replay: the footer the web app rendered,
 * the ledger's totals per model, and the order of the web app's calls.
 * @module
 */
import type { ExpectedOutcome } from "./fixture-files.ts";
import type { SessionSummary, UsageRow } from "./session-view.ts";
import type { ReceivedCall, ReviewOutcome } from "./stand-in-client.ts";

/** One verdict, printed as a line. */
export interface Check {
  ok: boolean;
  label: string;
}

const MICRO_USD_PER_USD = 1_000_000;

/** Every check of one replay, in reading order. */
export function runChecks(
  expected: ExpectedOutcome,
  review: ReviewOutcome,
  session: SessionSummary,
  calls: readonly ReceivedCall[],
): Check[] {
  return [
    equal("footer on the pull request", review.footer, expected.footer),
    equal("reported model", session.model, expected.model),
    equal("total tokens in", session.total.tokensIn, expected.totalTokensIn),
    equal("total tokens out", session.total.tokensOut, expected.totalTokensOut),
    equal(
      "total cost (micro-USD)",
      micro(session.total.costUsd),
      micro(expected.totalCost),
    ),
    ...Object.entries(expected.byModel).map(([model, usage]) =>
      modelCheck(model, usage, session.byModel),
    ),
    usageBeforeCallback(calls),
  ];
}

function modelCheck(
  model: string,
  expected: ExpectedOutcome["byModel"][string],
  rows: readonly UsageRow[],
): Check {
  const row = rows.find((candidate) => candidate.model === model);
  const got = row && [row.tokensIn, row.tokensOut, micro(row.costUsd)];
  const want = [expected.tokensIn, expected.tokensOut, micro(expected.costUsd)];
  return equal(`${model} tokens in/out and cost`, got?.join("/") ?? null, want.join("/"));
}

/** The web app renders the footer only from usage stored before the callback. */
function usageBeforeCallback(calls: readonly ReceivedCall[]): Check {
  const firstUsageOk = calls.findIndex(
    (c) => c.kind === "usage" && c.answeredStatus === 200,
  );
  const firstStatus = calls.findIndex((c) => c.kind === "status");
  const sequence = calls
    .map((c) => `${c.kind} ${c.answeredStatus ?? "dropped"}`)
    .join(", ");
  return {
    ok: firstUsageOk !== -1 && firstUsageOk < firstStatus,
    label: `usage stored before the status callback (${sequence || "no calls"})`,
  };
}

function equal(label: string, got: unknown, want: unknown): Check {
  const ok = got === want;
  return {
    ok,
    label: ok ? label : `${label}: got ${String(got)}, expected ${String(want)}`,
  };
}

function micro(usd: number): number {
  return Math.round(usd * MICRO_USD_PER_USD);
}
