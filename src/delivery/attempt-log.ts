/**
 * The log of delivery attempts, newest last, kept to a fixed number of
 * lines: what an operator reads on the admin route to see why a report or
 * callback has not arrived.
 */
import type { Sql } from "../session/row-counter.ts";
import type { AttemptResult, Verdict } from "./retry-policy.ts";

/** One line of the attempt log. */
export interface AttemptRecord {
  kind: string;
  generation: number;
  attempt: number;
  startedAtMs: number;
  /** The URL without its query. */
  target: string;
  status: number | null;
  error: string | null;
  durationMs: number;
  verdict: Verdict;
}

/** The attempt log keeps this many most recent lines. */
export const MAX_ATTEMPT_LOG_ROWS = 200;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS delivery_attempts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  generation INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  started_at_ms INTEGER NOT NULL,
  target TEXT NOT NULL,
  status INTEGER,
  error TEXT,
  duration_ms INTEGER NOT NULL,
  verdict TEXT NOT NULL
);
`;

function toAttempt(row: Record<string, SqlStorageValue>): AttemptRecord {
  return {
    kind: row.kind as string,
    generation: row.generation as number,
    attempt: row.attempt as number,
    startedAtMs: row.started_at_ms as number,
    target: row.target as string,
    status: row.status as number | null,
    error: row.error as string | null,
    durationMs: row.duration_ms as number,
    verdict: row.verdict as Verdict,
  };
}

export class AttemptLog {
  constructor(private readonly sql: Sql) {}

  migrate(): void {
    this.sql.exec(SCHEMA);
  }

  /** Adds a line and drops the oldest beyond `MAX_ATTEMPT_LOG_ROWS`. */
  add(
    line: Omit<AttemptRecord, "status" | "error" | "durationMs">,
    result: AttemptResult,
  ) {
    this.sql.exec(
      `INSERT INTO delivery_attempts (kind, generation, attempt, started_at_ms, target,
        status, error, duration_ms, verdict) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      line.kind,
      line.generation,
      line.attempt,
      line.startedAtMs,
      line.target,
      result.status ?? null,
      result.error ?? null,
      result.durationMs,
      line.verdict,
    );
    this.sql.exec(
      "DELETE FROM delivery_attempts WHERE seq <= (SELECT max(seq) FROM delivery_attempts) - ?",
      MAX_ATTEMPT_LOG_ROWS,
    );
  }

  /** Every line, oldest first. */
  list(): AttemptRecord[] {
    return this.sql
      .exec("SELECT * FROM delivery_attempts ORDER BY seq")
      .toArray()
      .map(toAttempt);
  }
}
