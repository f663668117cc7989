/**
 * The status callback: tells the caller's endpoint how the session ended.
 * Its payload is the one the web app reads (REFERENCE.md section 2).
 */
import * as v from "valibot";
import type { TerminalStatus } from "../ledger/envelope.ts";

export const StatusCallbackSchema = v.strictObject({
  sessionId: v.string(),
  cloudAgentSessionId: v.string(),
  executionId: v.string(),
  status: v.picklist(["completed", "failed", "interrupted"]),
  errorMessage: v.optional(v.string()),
  lastSeenBranch: v.optional(v.string()),
  kiloSessionId: v.optional(v.string()),
});

export type StatusCallback = v.InferOutput<typeof StatusCallbackSchema>;

/** The delivery kind of the status callback in the outbox. */
export const CALLBACK_KIND = "callback";

export interface CallbackFacts {
  sessionId: string;
  executionId: string;
  status: TerminalStatus;
  errorMessage: string | null;
  lastSeenBranch: string | null;
  kiloSessionId: string | null;
}

/** The callback's JSON text; optional fields appear only when known. */
export function buildStatusCallback(facts: CallbackFacts): string {
  const payload: StatusCallback = {
    sessionId: facts.sessionId,
    cloudAgentSessionId: facts.sessionId,
    executionId: facts.executionId,
    status: facts.status,
    ...(facts.errorMessage ? { errorMessage: facts.errorMessage } : {}),
    ...(facts.lastSeenBranch ? { lastSeenBranch: facts.lastSeenBranch } : {}),
    ...(facts.kiloSessionId ? { kiloSessionId: facts.kiloSessionId } : {}),
  };
  return JSON.stringify(v.parse(StatusCallbackSchema, payload));
}

/** One execution ends once, so its key never changes. */
export function callbackIdempotencyKey(sessionId: string, executionId: string) {
  return `callback-${sessionId}-${executionId}`;
}
