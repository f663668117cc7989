/**
 * The session's own row: who registered it, where its callback goes, and
 * how it ended. One row, so every update writes one row.
 */
import type { Sql } from "./row-counter.ts";
import type { TerminalSignal, TerminalStatus } from "../ledger/envelope.ts";

export type SessionStatus = "running" | TerminalStatus;

export interface CallbackTarget {
  url: string;
  headers: Record<string, string>;
}

export interface SessionRecord {
  sessionId: string;
  /** The registration body as canonical JSON, to tell a repeat from a conflict. */
  registration: string;
  reviewId: string | null;
  executionId: string;
  kiloSessionId: string | null;
  callbackTarget: CallbackTarget | null;
  status: SessionStatus;
  errorMessage: string | null;
  lastSeenBranch: string | null;
  createdAtMs: number;
  completedAtMs: number | null;
  /** When an event last arrived, kept coarsely (see `touch`). */
  lastActivityMs: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS session (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  session_id TEXT NOT NULL,
  registration TEXT NOT NULL,
  review_id TEXT,
  execution_id TEXT NOT NULL,
  kilo_session_id TEXT,
  callback_target TEXT,
  status TEXT NOT NULL,
  error_message TEXT,
  last_seen_branch TEXT,
  created_at_ms INTEGER NOT NULL,
  completed_at_ms INTEGER,
  last_activity_ms INTEGER NOT NULL
);
`;

type Row = Record<string, SqlStorageValue>;

function toRecord(row: Row): SessionRecord {
  const target = row.callback_target as string | null;
  return {
    sessionId: row.session_id as string,
    registration: row.registration as string,
    reviewId: row.review_id as string | null,
    executionId: row.execution_id as string,
    kiloSessionId: row.kilo_session_id as string | null,
    callbackTarget: target ? (JSON.parse(target) as CallbackTarget) : null,
    status: row.status as SessionStatus,
    errorMessage: row.error_message as string | null,
    lastSeenBranch: row.last_seen_branch as string | null,
    createdAtMs: row.created_at_ms as number,
    completedAtMs: row.completed_at_ms as number | null,
    lastActivityMs: row.last_activity_ms as number,
  };
}

export type NewSession = Pick<
  SessionRecord,
  "sessionId" | "registration" | "reviewId" | "executionId" | "kiloSessionId"
> & { callbackTarget: CallbackTarget | null };

/** Reads and writes the session row. */
export class SessionStore {
  constructor(private readonly sql: Sql) {}

  migrate(): void {
    this.sql.exec(SCHEMA);
  }

  /** The session, or null when it was never registered (or was deleted). */
  get(): SessionRecord | null {
    const row = this.sql.exec("SELECT * FROM session").toArray()[0];
    return row ? toRecord(row) : null;
  }

  create(session: NewSession, nowMs: number): void {
    this.sql.exec(
      `INSERT INTO session (singleton, session_id, registration, review_id, execution_id,
        kilo_session_id, callback_target, status, created_at_ms, last_activity_ms)
       VALUES (1, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
      session.sessionId,
      session.registration,
      session.reviewId,
      session.executionId,
      session.kiloSessionId,
      session.callbackTarget ? JSON.stringify(session.callbackTarget) : null,
      nowMs,
      nowMs,
    );
  }

  /** Marks the session terminal. Only the first terminal signal counts. */
  finish(signal: TerminalSignal, nowMs: number): void {
    this.sql.exec(
      `UPDATE session SET status = ?, error_message = ?, last_seen_branch = ?,
        completed_at_ms = ?, last_activity_ms = ? WHERE status = 'running'`,
      signal.status,
      signal.errorMessage ?? null,
      signal.lastSeenBranch ?? null,
      nowMs,
      nowMs,
    );
  }

  /**
   * Records activity for staleness. The row is written only when the stored
   * time is older than `granularityMs`, so that heartbeats cost no writes
   * between those steps.
   */
  touch(nowMs: number, granularityMs: number): void {
    this.sql.exec(
      "UPDATE session SET last_activity_ms = ? WHERE last_activity_ms <= ?",
      nowMs,
      nowMs - granularityMs,
    );
  }
}
