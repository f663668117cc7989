/**
 * Validation of the bodies of the two internal endpoints, to the rules of
 * REFERENCE.md §1 and §2: known fields checked, unknown fields dropped.
 * @module
 */

/** Body of the usage endpoint; every field optional. */
export interface UsagePayload {
  model?: string;
  totalTokensIn?: number;
  totalTokensOut?: number;
  /** US dollars. */
  totalCost?: number;
}

/** The outcomes that the status callback may report. */
export type TerminalStatus = "completed" | "failed" | "interrupted";

/** Body of the status callback. */
export interface StatusPayload {
  sessionId: string;
  cloudAgentSessionId: string;
  executionId: string;
  status: TerminalStatus;
  errorMessage?: string;
  lastSeenBranch?: string;
  kiloSessionId?: string;
}

/** One field that failed, named by its path in the body. */
export interface PayloadIssue {
  path: string;
  message: string;
}

/** A parsed body, or the issues that made it invalid. */
export type ParseResult<T> =
  { ok: true; value: T } | { ok: false; issues: PayloadIssue[] };

/** Returns an issue message for a bad value, null for a good one. */
type Check = (value: unknown) => string | null;

interface FieldRule {
  check: Check;
  required: boolean;
}

const TERMINAL_STATUSES: readonly unknown[] = ["completed", "failed", "interrupted"];

const isString: Check = (value) =>
  typeof value === "string" ? null : "Expected a string";

const isNonEmptyString: Check = (value) =>
  typeof value === "string" && value.length > 0 ? null : "Expected a non-empty string";

const isTokenCount: Check = (value) =>
  Number.isSafeInteger(value) && typeof value === "number" && value >= 0
    ? null
    : "Expected an integer >= 0";

const isDollarAmount: Check = (value) =>
  typeof value === "number" && Number.isFinite(value) && value >= 0
    ? null
    : "Expected a number >= 0";

const isTerminalStatus: Check = (value) =>
  TERMINAL_STATUSES.includes(value) ? null : "Expected completed, failed or interrupted";

const USAGE_RULES: Record<keyof UsagePayload, FieldRule> = {
  model: { check: isString, required: false },
  totalTokensIn: { check: isTokenCount, required: false },
  totalTokensOut: { check: isTokenCount, required: false },
  totalCost: { check: isDollarAmount, required: false },
};

const STATUS_RULES: Record<keyof StatusPayload, FieldRule> = {
  sessionId: { check: isNonEmptyString, required: true },
  cloudAgentSessionId: { check: isNonEmptyString, required: true },
  executionId: { check: isNonEmptyString, required: true },
  status: { check: isTerminalStatus, required: true },
  errorMessage: { check: isString, required: false },
  lastSeenBranch: { check: isString, required: false },
  kiloSessionId: { check: isString, required: false },
};

/** Validates a usage endpoint body (already JSON-parsed). */
export function parseUsagePayload(body: unknown): ParseResult<UsagePayload> {
  return pickFields<UsagePayload>(body, USAGE_RULES);
}

/** Validates a status callback body (already JSON-parsed). */
export function parseStatusPayload(body: unknown): ParseResult<StatusPayload> {
  return pickFields<StatusPayload>(body, STATUS_RULES);
}

/**
 * Keeps the fields named by `rules` that pass their check. The cast at the
 * end is sound because every kept field was checked against the rule that
 * mirrors its declared type.
 */
function pickFields<T>(body: unknown, rules: Record<string, FieldRule>): ParseResult<T> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, issues: [{ path: "", message: "Expected an object" }] };
  }

  const fields = body as Record<string, unknown>;
  const value: Record<string, unknown> = {};
  const issues: PayloadIssue[] = [];
  for (const [path, rule] of Object.entries(rules)) {
    const issue = checkField(fields[path], rule);
    if (issue !== null) issues.push({ path, message: issue });
    else if (fields[path] !== undefined) value[path] = fields[path];
  }

  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: value as T };
}

function checkField(value: unknown, rule: FieldRule): string | null {
  if (value === undefined) return rule.required ? "Required" : null;
  return rule.check(value);
}
