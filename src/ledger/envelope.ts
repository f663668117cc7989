/**
 * Parsing the agent's envelopes into ledger events.
 *
 * Envelopes are lenient: the agent adds fields all the time, so unknown
 * fields are ignored. The fields the ledger reads are strict: a negative,
 * fractional or absurd token count, or a cost that is not a finite
 * non-negative number, rejects the envelope (and so its whole batch).
 */
import * as v from "valibot";
import type { IssueDetail } from "../http/errors.ts";
import { issueMessage } from "../http/validate.ts";
import type { MessageRecord, StepRecord } from "./usage.ts";
import { modelKey, usdToNanoUsd } from "./usage.ts";

/**
 * Per-event bounds far above any real model call (a few million tokens, a
 * few dollars); beyond them input is hostile. They also keep sums exact:
 * totals stay below 2^53 nanodollars (about $9 million) for the first nine
 * thousand events at the cap.
 */
export const MAX_TOKENS_PER_EVENT = 1_000_000_000;
export const MAX_COST_USD_PER_EVENT = 1_000;
const MAX_ID_LENGTH = 512;
const MAX_TEXT_LENGTH = 2_000;

/** How a session ended. */
export type TerminalStatus = "completed" | "failed" | "interrupted";

export interface TerminalSignal {
  status: TerminalStatus;
  errorMessage?: string;
  lastSeenBranch?: string;
}

/** What one envelope means to the session. */
export type LedgerEvent =
  | { kind: "message"; message: MessageRecord }
  | { kind: "step"; step: StepRecord }
  | { kind: "terminal"; signal: TerminalSignal }
  | { kind: "noise" };

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH));
const optionalText = v.optional(v.pipe(v.string(), v.maxLength(MAX_ID_LENGTH)));
const tokenCount = v.optional(
  v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_TOKENS_PER_EVENT)),
  0,
);
const costUsd = v.optional(
  v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(MAX_COST_USD_PER_EVENT)),
  0,
);
const tokens = v.optional(
  v.looseObject({
    input: tokenCount,
    output: tokenCount,
    reasoning: tokenCount,
    cache: v.optional(v.looseObject({ read: tokenCount, write: tokenCount }), {}),
  }),
  {},
);
const epochMs = v.optional(v.nullable(v.pipe(v.number(), v.finite())));

const assistantMessage = v.looseObject({
  id,
  sessionID: optionalText,
  modelID: optionalText,
  providerID: optionalText,
  cost: costUsd,
  tokens,
  time: v.optional(v.looseObject({ created: epochMs, completed: epochMs }), {}),
});

const stepFinish = v.looseObject({
  id,
  messageID: id,
  sessionID: optionalText,
  cost: costUsd,
  tokens,
});

const envelope = v.looseObject({
  streamEventType: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH)),
  timestamp: v.optional(v.string()),
  data: v.optional(v.unknown()),
});

const completeData = v.looseObject({
  exitCode: v.pipe(v.number(), v.integer()),
  currentBranch: optionalText,
});

/** An envelope the ledger cannot read; carries the paths that failed. */
export class EnvelopeError extends Error {
  override readonly name = "EnvelopeError";
  constructor(readonly issues: IssueDetail[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join("; "));
  }
}

function check<T extends v.GenericSchema>(
  schema: T,
  input: unknown,
  path: string,
): v.InferOutput<T> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;

  throw new EnvelopeError(
    result.issues.map((issue) => {
      const sub = v.getDotPath(issue);
      return { path: sub ? `${path}.${sub}` : path, message: issueMessage(issue) };
    }),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toTokens(raw: v.InferOutput<typeof tokens>) {
  return {
    input: raw.input,
    output: raw.output,
    reasoning: raw.reasoning,
    cacheRead: raw.cache.read,
    cacheWrite: raw.cache.write,
  };
}

function parseMessage(info: unknown, path: string): LedgerEvent {
  if (!isObject(info) || info.role !== "assistant") return { kind: "noise" };

  const raw = check(assistantMessage, info, path);
  const message: MessageRecord = {
    id: raw.id,
    agentSessionId: raw.sessionID ?? null,
    model: modelKey(raw.modelID, raw.providerID),
    completed: raw.time.completed != null,
    createdAtMs: raw.time.created ?? null,
    tokens: toTokens(raw.tokens),
    costNanoUsd: usdToNanoUsd(raw.cost),
  };
  return { kind: "message", message };
}

function parseStep(part: unknown, path: string): LedgerEvent {
  if (!isObject(part) || part.type !== "step-finish") return { kind: "noise" };

  const raw = check(stepFinish, part, path);
  const step: StepRecord = {
    id: raw.id,
    messageId: raw.messageID,
    agentSessionId: raw.sessionID ?? null,
    tokens: toTokens(raw.tokens),
    costNanoUsd: usdToNanoUsd(raw.cost),
  };
  return { kind: "step", step };
}

function parseBusEvent(data: unknown, path: string): LedgerEvent {
  if (!isObject(data) || !isObject(data.properties)) return { kind: "noise" };

  if (data.type === "message.updated") {
    return parseMessage(data.properties.info, `${path}.properties.info`);
  }
  if (data.type === "message.part.updated") {
    return parseStep(data.properties.part, `${path}.properties.part`);
  }
  return { kind: "noise" };
}

function shortText(value: unknown): string | undefined {
  return typeof value === "string" && value !== ""
    ? value.slice(0, MAX_TEXT_LENGTH)
    : undefined;
}

function parseComplete(data: unknown, path: string): LedgerEvent {
  const raw = check(completeData, data, path);
  const signal: TerminalSignal =
    raw.exitCode === 0
      ? { status: "completed" }
      : { status: "failed", errorMessage: `agent exited with code ${raw.exitCode}` };
  if (raw.currentBranch) signal.lastSeenBranch = raw.currentBranch;
  return { kind: "terminal", signal };
}

function parseFatalError(data: unknown): LedgerEvent {
  if (!isObject(data) || data.fatal !== true) return { kind: "noise" };

  const reason = shortText(data.message) ?? shortText(data.error) ?? "fatal agent error";
  return { kind: "terminal", signal: { status: "failed", errorMessage: reason } };
}

/**
 * Reads one envelope.
 * @param path where the envelope sits in the request, for error details.
 * @throws EnvelopeError when a field the ledger reads is malformed.
 */
export function parseEnvelope(input: unknown, path: string): LedgerEvent {
  const { streamEventType, data } = check(envelope, input, path);
  switch (streamEventType) {
    case "kilocode":
      return parseBusEvent(data, `${path}.data`);
    case "complete":
      return parseComplete(data, `${path}.data`);
    case "interrupted":
      return { kind: "terminal", signal: { status: "interrupted" } };
    case "error":
      return parseFatalError(data);
    default:
      return { kind: "noise" };
  }
}
