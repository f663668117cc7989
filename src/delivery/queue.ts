/**
 * A durable outbox of messages, one per kind, each with its own retry
 * schedule, and an order between them: a message may wait for another kind
 * to settle, up to a deadline. It knows nothing of what the messages say.
 *
 * Everything is in SQLite, so a crash, an eviction or a restart loses no
 * delivery: the alarm finds the pending rows and carries on.
 */
import type { Sql } from "../session/row-counter.ts";
import type { AttemptRecord } from "./attempt-log.ts";
import { AttemptLog } from "./attempt-log.ts";
import type { AttemptResult, RetryPolicy, Verdict } from "./retry-policy.ts";
import { classify, maxAttempts, retryDelayMs } from "./retry-policy.ts";

export type DeliveryState = "pending" | "delivered" | "failed" | "gave_up";

/** A message as stored. */
export interface Delivery {
  kind: string;
  /** Bumped by every enqueue, so an attempt of a replaced message is stale. */
  generation: number;
  state: DeliveryState;
  body: string;
  idempotencyKey: string;
  /** Attempts made in this generation. */
  attempts: number;
  nextAttemptAtMs: number | null;
  /** The kind this one waits for, and until when at most. */
  waitFor: string | null;
  waitUntilMs: number | null;
  createdAtMs: number;
  settledAtMs: number | null;
  lastStatus: number | null;
  lastError: string | null;
}

export interface EnqueueOptions {
  body: string;
  idempotencyKey: string;
  nowMs: number;
  /** Hold this message until `kind` is no longer pending, or until `untilMs`. */
  waitFor?: { kind: string; untilMs: number };
}

/** What `record` concluded, for the caller to log. */
export interface RecordOutcome {
  verdict: Verdict;
  state: DeliveryState;
  nextAttemptAtMs: number | null;
}

/*
 * A claimed attempt that never reported back (the object died mid-send) is
 * tried again this long after its timeout would have fired.
 */
const CLAIM_SLACK_MS = 5_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS deliveries (
  kind TEXT PRIMARY KEY,
  generation INTEGER NOT NULL,
  state TEXT NOT NULL,
  body TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at_ms INTEGER,
  wait_for TEXT,
  wait_until_ms INTEGER,
  created_at_ms INTEGER NOT NULL,
  settled_at_ms INTEGER,
  last_status INTEGER,
  last_error TEXT
) WITHOUT ROWID;
`;

type Row = Record<string, SqlStorageValue>;

function toDelivery(row: Row): Delivery {
  return {
    kind: row.kind as string,
    generation: row.generation as number,
    state: row.state as DeliveryState,
    body: row.body as string,
    idempotencyKey: row.idempotency_key as string,
    attempts: row.attempts as number,
    nextAttemptAtMs: row.next_attempt_at_ms as number | null,
    waitFor: row.wait_for as string | null,
    waitUntilMs: row.wait_until_ms as number | null,
    createdAtMs: row.created_at_ms as number,
    settledAtMs: row.settled_at_ms as number | null,
    lastStatus: row.last_status as number | null,
    lastError: row.last_error as string | null,
  };
}

/** The outbox of one Durable Object. */
export class DeliveryQueue {
  private readonly log: AttemptLog;

  constructor(
    private readonly sql: Sql,
    private readonly policy: RetryPolicy,
    private readonly timeoutMs: number,
  ) {
    this.log = new AttemptLog(sql);
  }

  /** Creates the tables; safe to call on every start. */
  migrate(): void {
    this.sql.exec(SCHEMA);
    this.log.migrate();
  }

  /**
   * Puts a message of `kind` in the outbox, due now, with a fresh schedule.
   * It replaces whatever that kind held, pending or settled.
   */
  enqueue(kind: string, options: EnqueueOptions): Delivery {
    const previous = this.get(kind);
    const generation = (previous?.generation ?? 0) + 1;
    this.sql.exec(
      `INSERT OR REPLACE INTO deliveries (kind, generation, state, body, idempotency_key,
        attempts, next_attempt_at_ms, wait_for, wait_until_ms, created_at_ms)
       VALUES (?, ?, 'pending', ?, ?, 0, ?, ?, ?, ?)`,
      kind,
      generation,
      options.body,
      options.idempotencyKey,
      options.nowMs,
      options.waitFor?.kind ?? null,
      options.waitFor?.untilMs ?? null,
      options.nowMs,
    );
    return this.get(kind) as Delivery;
  }

  /** The message of `kind`, or null. */
  get(kind: string): Delivery | null {
    const row = this.sql
      .exec("SELECT * FROM deliveries WHERE kind = ?", kind)
      .toArray()[0];
    return row ? toDelivery(row) : null;
  }

  /** Every message, in kind order. */
  list(): Delivery[] {
    return this.sql
      .exec("SELECT * FROM deliveries ORDER BY kind")
      .toArray()
      .map(toDelivery);
  }

  /** The attempt log, oldest first. */
  attempts(): AttemptRecord[] {
    return this.log.list();
  }

  /**
   * When each pending message may go: its next attempt time, or, while the
   * kind it waits for is still pending, no sooner than its deadline (its
   * release by the awaited message is seen in the same alarm that settles
   * that one).
   */
  private pendingReadyAt(): { delivery: Delivery; readyAtMs: number }[] {
    const pending = this.list().filter((d) => d.state === "pending");
    const pendingKinds = new Set(pending.map((d) => d.kind));
    return pending.map((delivery) => {
      const nextMs = delivery.nextAttemptAtMs ?? 0;
      const held = delivery.waitFor !== null && pendingKinds.has(delivery.waitFor);
      const heldUntilMs = delivery.waitUntilMs ?? Infinity;
      return { delivery, readyAtMs: held ? Math.max(nextMs, heldUntilMs) : nextMs };
    });
  }

  /** Messages whose attempt is due, those that others wait for first. */
  due(nowMs: number): Delivery[] {
    return this.pendingReadyAt()
      .filter(({ readyAtMs }) => readyAtMs <= nowMs)
      .map(({ delivery }) => delivery)
      .sort((a, b) => Number(a.waitFor !== null) - Number(b.waitFor !== null));
  }

  /** When the next attempt falls due, or null when nothing is ready to go. */
  nextWakeMs(): number | null {
    const wakeMs = Math.min(...this.pendingReadyAt().map(({ readyAtMs }) => readyAtMs));
    return Number.isFinite(wakeMs) ? wakeMs : null;
  }

  /** Whether no message is pending. */
  allSettled(): boolean {
    return this.list().every((d) => d.state !== "pending");
  }

  /**
   * Marks an attempt as started before it is sent, so that an object that
   * dies mid-send counts it and tries again later rather than at once.
   * @returns false when the schedule is used up: the message gave up.
   */
  claim(delivery: Delivery, nowMs: number): boolean {
    if (delivery.attempts >= maxAttempts(this.policy)) {
      this.settle(delivery, "gave_up", nowMs);
      return false;
    }
    this.sql.exec(
      `UPDATE deliveries SET attempts = attempts + 1, next_attempt_at_ms = ?
       WHERE kind = ? AND generation = ?`,
      nowMs + this.timeoutMs + CLAIM_SLACK_MS,
      delivery.kind,
      delivery.generation,
    );
    return true;
  }

  private settle(delivery: Delivery, state: DeliveryState, nowMs: number) {
    this.sql.exec(
      `UPDATE deliveries SET state = ?, settled_at_ms = ?, next_attempt_at_ms = NULL
       WHERE kind = ? AND generation = ?`,
      state,
      nowMs,
      delivery.kind,
      delivery.generation,
    );
  }

  private decide(attempt: number, result: AttemptResult, nowMs: number): RecordOutcome {
    const verdict = classify(result);
    if (verdict === "delivered")
      return { verdict, state: "delivered", nextAttemptAtMs: null };
    if (verdict === "failed") return { verdict, state: "failed", nextAttemptAtMs: null };

    const delayMs = retryDelayMs(this.policy, attempt, result.retryAfterMs);
    if (delayMs === null) return { verdict, state: "gave_up", nextAttemptAtMs: null };
    return { verdict, state: "pending", nextAttemptAtMs: nowMs + delayMs };
  }

  /**
   * Records how a claimed attempt ended and schedules what follows.
   * @returns null when the message was replaced meanwhile (the attempt is
   * only logged).
   */
  record(
    delivery: Delivery,
    result: AttemptResult,
    context: { target: string; startedAtMs: number; nowMs: number },
  ): RecordOutcome | null {
    const attempt = delivery.attempts + 1;
    const outcome = this.decide(attempt, result, context.nowMs);
    const { kind, generation } = delivery;
    const { target, startedAtMs } = context;
    this.log.add(
      { kind, generation, attempt, target, startedAtMs, verdict: outcome.verdict },
      result,
    );

    const current = this.get(delivery.kind);
    if (current?.generation !== delivery.generation || current.state !== "pending") {
      return null;
    }
    this.sql.exec(
      `UPDATE deliveries SET state = ?, next_attempt_at_ms = ?, settled_at_ms = ?,
        last_status = ?, last_error = ? WHERE kind = ? AND generation = ?`,
      outcome.state,
      outcome.nextAttemptAtMs,
      outcome.state === "pending" ? null : context.nowMs,
      result.status ?? null,
      result.error ?? null,
      delivery.kind,
      delivery.generation,
    );
    return outcome;
  }
}
