/**
 * The stand-in's console lines: one readable line per request, and the pull
 * request's summary when a review completes. Header values (the secret, the
 * idempotency key) never appear in them.
 * @module
 */
import type { StatusPayload, UsagePayload } from "./payloads.ts";
import type { RecordedRequest, Review } from "./types.ts";

const KIND_COLUMN_WIDTH = 7;

/** `model=… in=… out=… cost=$…` for the fields that a usage call carried. */
export function describeUsage(payload: UsagePayload): string {
  const parts: string[] = [];
  if (payload.model !== undefined) parts.push(`model=${payload.model}`);
  if (payload.totalTokensIn !== undefined) parts.push(`in=${payload.totalTokensIn}`);
  if (payload.totalTokensOut !== undefined) parts.push(`out=${payload.totalTokensOut}`);
  if (payload.totalCost !== undefined)
    parts.push(`cost=$${payload.totalCost.toFixed(6)}`);
  return parts.length > 0 ? parts.join(" ") : "(no usage fields)";
}

/** `completed exec=… branch=…` and the error message if there is one. */
export function describeStatus(payload: StatusPayload): string {
  const parts: string[] = [payload.status, `exec=${payload.executionId}`];
  if (payload.lastSeenBranch !== undefined)
    parts.push(`branch=${payload.lastSeenBranch}`);
  if (payload.errorMessage !== undefined)
    parts.push(`error=${JSON.stringify(payload.errorMessage)}`);
  return parts.join(" ");
}

/** One line for a request: its kind, what it addressed, the answer, a note. */
export function formatRequestLine(request: RecordedRequest, note: string): string {
  const kind = request.kind.padEnd(KIND_COLUMN_WIDTH);
  const target =
    request.reviewId === null
      ? `${request.method} ${request.path}`
      : `review=${request.reviewId}`;
  const answer = request.answeredStatus === null ? "---" : String(request.answeredStatus);
  return `${kind} ${target}  ${answer}  ${note}`.trimEnd();
}

/** The summary comment of a completed review, framed so it stands out. */
export function formatSummaryBlock(review: Review): string[] {
  const title = `pull request summary of review ${review.reviewId}`;
  const rule = "-".repeat(title.length + 6);
  const footerNote =
    review.footer === null ? ["(no usage footer: usage was not stored in time)"] : [];
  return [
    rule,
    `-- ${title} --`,
    ...(review.summary ?? "").split("\n"),
    ...footerNote,
    rule,
  ];
}
