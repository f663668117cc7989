/**
 * The usage report: what the web app's usage endpoint stores, and from
 * which it renders the pull request's footer.
 */
import * as v from "valibot";
import type { LedgerTotals } from "../ledger/totals.ts";
import { nanoUsdToUsd, tokensIn, tokensOut } from "../ledger/usage.ts";
import { stableHash } from "../util/stable-hash.ts";

/** The body of `POST /api/internal/code-review-usage/:reviewId`. */
export const UsageReportSchema = v.strictObject({
  model: v.optional(v.pipe(v.string(), v.minLength(1))),
  totalTokensIn: v.pipe(v.number(), v.integer(), v.minValue(0)),
  totalTokensOut: v.pipe(v.number(), v.integer(), v.minValue(0)),
  totalCost: v.pipe(v.number(), v.finite(), v.minValue(0)),
});

export type UsageReport = v.InferOutput<typeof UsageReportSchema>;

/** The delivery kind of usage reports in the outbox. */
export const USAGE_KIND = "usage";

/** The report for `totals`: dollars rounded to the microdollar. */
export function buildUsageReport(totals: LedgerTotals): UsageReport {
  const report = {
    ...(totals.model ? { model: totals.model } : {}),
    totalTokensIn: tokensIn(totals.total.tokens),
    totalTokensOut: tokensOut(totals.total.tokens),
    totalCost: nanoUsdToUsd(totals.total.costNanoUsd),
  };
  return v.parse(UsageReportSchema, report);
}

/** The report's wire form. Key order is fixed, so equal totals give equal text. */
export function serializeUsageReport(report: UsageReport): string {
  return JSON.stringify({
    model: report.model,
    totalTokensIn: report.totalTokensIn,
    totalTokensOut: report.totalTokensOut,
    totalCost: report.totalCost,
  });
}

/** Same review and same totals give the same key, so the receiver can de-duplicate. */
export function usageIdempotencyKey(sessionId: string, reviewId: string, body: string) {
  return `usage-${stableHash(`${sessionId}\n${reviewId}\n${body}`)}`;
}

/** Where usage for `reviewId` goes, under the deployment's `API_URL`. */
export function usageReportUrl(apiUrl: URL, reviewId: string): string {
  const base = `${apiUrl.origin}${apiUrl.pathname.replace(/\/+$/, "")}`;
  return `${base}/api/internal/code-review-usage/${encodeURIComponent(reviewId)}`;
}
