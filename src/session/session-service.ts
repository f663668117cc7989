/**
 * One session's behaviour: registration, the event stream, its end, and
 * re-sends. Storage is SQLite; each operation runs in one synchronous
 * transaction, so a batch is applied whole or not at all.
 */
import type { Config } from "../env.ts";
import { CALLBACK_KIND } from "../callback/status-callback.ts";
import type { Delivery } from "../delivery/queue.ts";
import { DeliveryQueue } from "../delivery/queue.ts";
import { JITTER_RATIO, MAX_RETRY_AFTER_MS } from "../delivery/retry-policy.ts";
import { HttpError } from "../http/errors.ts";
import type { LedgerEvent, TerminalSignal } from "../ledger/envelope.ts";
import { LedgerStore } from "../ledger/ledger-store.ts";
import { RowCounter } from "./row-counter.ts";
import type { LogFields } from "../log/logger.ts";
import { logEvent } from "../log/logger.ts";
import { USAGE_KIND } from "../usage-reporter/usage-report.ts";
import { enqueueCallback } from "../callback/callback-sender.ts";
import { syncUsageReport } from "../usage-reporter/usage-reporter.ts";
import type { Registration } from "./registration.ts";
import { canonicalRegistration, checkCallbackTarget } from "./registration.ts";
import type { SessionRecord } from "./session-store.ts";
import { SessionStore } from "./session-store.ts";

export interface IngestResult {
  accepted: number;
  ignored: number;
}

export type ResendWhat = "usage" | "callback" | "all";

/*
 * Activity is stored at most once per this step (at most a minute, and a
 * tenth of the silence limit), so heartbeats rarely write a row.
 */
const MAX_ACTIVITY_STEP_MS = 60_000;

/** How coarsely activity is recorded under `config`. */
export function activityStepMs(config: Config): number {
  return Math.min(MAX_ACTIVITY_STEP_MS, Math.ceil(config.staleAfterMs / 10));
}

export class SessionService {
  readonly sessions: SessionStore;
  readonly ledger: LedgerStore;
  readonly queue: DeliveryQueue;
  /** Rows written since the object woke, for the benchmark and tests. */
  readonly rows: RowCounter;

  constructor(
    private readonly storage: DurableObjectStorage,
    readonly config: Config,
  ) {
    const policy = {
      delaysMs: config.deliveryRetryDelaysMs,
      jitterRatio: JITTER_RATIO,
      maxRetryAfterMs: MAX_RETRY_AFTER_MS,
      random: Math.random,
    };
    this.rows = new RowCounter(storage.sql);
    this.sessions = new SessionStore(this.rows);
    this.ledger = new LedgerStore(this.rows);
    this.queue = new DeliveryQueue(this.rows, policy, config.deliveryTimeoutMs);
    this.migrate();
  }

  /** Creates the tables that are missing; cheap when they all exist. */
  migrate(): void {
    this.sessions.migrate();
    this.ledger.migrate();
    this.queue.migrate();
  }

  /** Log lines of the transaction under way, written once it commits. */
  private pendingLogs: [string, LogFields][] = [];

  /**
   * Runs `body` in one storage transaction. Its log lines are written only
   * if it commits, so the log never tells of a change that rolled back.
   */
  private transaction<T>(body: () => T): T {
    this.pendingLogs = [];
    try {
      const result = this.storage.transactionSync(body);
      for (const [event, fields] of this.pendingLogs) logEvent(event, fields);
      return result;
    } finally {
      this.pendingLogs = [];
    }
  }

  private logAfterCommit(event: string, fields: LogFields): void {
    this.pendingLogs.push([event, fields]);
  }

  private get deps() {
    const { ledger, queue } = this;
    return { ledger, queue, usageGateMs: this.config.usageGateMs };
  }

  /** Everything a session sends when it ends, in the transaction that ends it. */
  private enqueueCompletion(session: SessionRecord, nowMs: number): void {
    syncUsageReport(this.deps, session, nowMs);
    enqueueCallback(this.deps, session, nowMs, session.completedAtMs ?? nowMs);
  }

  /** The registered session. @throws HttpError `not_found`. */
  require(): SessionRecord {
    const session = this.sessions.get();
    if (!session) throw new HttpError("not_found", "session is not registered");
    return session;
  }

  /**
   * Registers the session; an identical repeat is fine, a different body
   * conflicts. @returns whether it was created now.
   */
  register(sessionId: string, registration: Registration, nowMs: number): boolean {
    // A repeat is answered from what is stored, even if the allow-list
    // changed since; only a new registration is checked against it.
    const canonical = canonicalRegistration(registration);
    const existing = this.sessions.get();
    if (existing) {
      if (existing.registration === canonical) return false;
      throw new HttpError("conflict", "session exists with a different registration");
    }
    const callbackTarget = checkCallbackTarget(registration.callbackTarget, this.config);
    this.sessions.create(
      {
        sessionId,
        registration: canonical,
        reviewId: registration.reviewId ?? null,
        executionId: registration.executionId ?? sessionId,
        kiloSessionId: registration.kiloSessionId ?? null,
        callbackTarget,
      },
      nowMs,
    );
    return true;
  }

  private applyEvent(event: LedgerEvent, nowMs: number): boolean {
    switch (event.kind) {
      case "message":
        return this.ledger.putMessage(event.message);
      case "step":
        return this.ledger.putStep(event.step);
      case "terminal":
        return this.finish(event.signal, nowMs);
      case "noise":
        return false;
    }
  }

  /**
   * Applies a batch of parsed events in one transaction.
   * @throws HttpError `not_found` when the session is not registered.
   */
  ingest(events: readonly LedgerEvent[], nowMs: number): IngestResult {
    return this.transaction(() => {
      const before = this.require();
      let accepted = 0;
      for (const event of events) if (this.applyEvent(event, nowMs)) accepted++;
      this.sessions.touch(nowMs, activityStepMs(this.config));
      const result = { accepted, ignored: events.length - accepted };
      // Only an accepted event can end the session or change its totals.
      if (accepted === 0) return result;

      const after = this.require();
      if (before.status === "running" && after.status !== "running") {
        this.enqueueCompletion(after, nowMs);
      } else if (after.status !== "running") {
        this.amendUsage(after, nowMs);
      }
      return result;
    });
  }

  private amendUsage(session: SessionRecord, nowMs: number) {
    const delivery = syncUsageReport(this.deps, session, nowMs);
    if (delivery) this.logAfterCommit("usage.amended", this.logFields(session));
  }

  /**
   * Ends the session with `signal` unless it already ended.
   * @returns whether this signal ended it.
   */
  private finish(signal: TerminalSignal, nowMs: number): boolean {
    const session = this.require();
    if (session.status !== "running") return false;

    this.sessions.finish(signal, nowMs);
    this.logAfterCommit("session.completed", {
      ...this.logFields(session),
      status: signal.status,
      error: signal.errorMessage,
    });
    return true;
  }

  /** Ends the session from outside (the orchestrator or staleness). */
  complete(signal: TerminalSignal, nowMs: number): boolean {
    return this.transaction(() => {
      if (!this.finish(signal, nowMs)) return false;
      this.enqueueCompletion(this.require(), nowMs);
      return true;
    });
  }

  /**
   * A new delivery now with a fresh schedule, replacing any pending one.
   * @throws HttpError `conflict` when there is nothing to send.
   */
  resend(what: ResendWhat, nowMs: number): Delivery[] {
    return this.transaction(() => {
      const session = this.require();
      if (session.status === "running") {
        throw new HttpError("conflict", "session is not terminal yet: nothing to send");
      }
      const sent: Delivery[] = [];
      if (what !== "callback") {
        const usage = syncUsageReport(this.deps, session, nowMs, true);
        if (usage) sent.push(usage);
        else if (what === "usage") throw this.nothingToSend(session, USAGE_KIND);
      }
      if (what !== "usage") {
        const callback = enqueueCallback(this.deps, session, nowMs, nowMs);
        if (callback) sent.push(callback);
        else if (what === "callback") throw this.nothingToSend(session, CALLBACK_KIND);
      }
      if (sent.length === 0) throw new HttpError("conflict", "nothing to send");
      for (const d of sent)
        this.logAfterCommit(`${d.kind}.resend`, this.logFields(session));
      return sent;
    });
  }

  private nothingToSend(session: SessionRecord, kind: string): HttpError {
    const reason =
      kind === CALLBACK_KIND
        ? "the session has no callbackTarget"
        : session.reviewId === null
          ? "the session has no reviewId"
          : "no usage was recorded";
    return new HttpError("conflict", `nothing to send: ${reason}`);
  }

  /** Ids for log lines. */
  logFields(session: SessionRecord | null = this.sessions.get()) {
    return { sessionId: session?.sessionId, reviewId: session?.reviewId ?? undefined };
  }
}
