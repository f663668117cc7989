/**
 * The ledger's storage: one row per assistant message and one per step,
 * keyed by the agent's own ids, so a repeated event replaces and never adds.
 *
 * Both tables are WITHOUT ROWID: the primary key is the table, so a new or
 * changed record writes exactly one row and an identical repeat writes none
 * (rows written are what Durable Object storage bills).
 */
import type { Sql } from "../session/row-counter.ts";
import type { MessageRecord, StepRecord, Usage } from "./usage.ts";

/** The sum of one message's steps. */
export interface StepSum extends Usage {
  messageId: string;
  steps: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ledger_messages (
  id TEXT PRIMARY KEY,
  agent_session_id TEXT,
  model TEXT,
  completed INTEGER NOT NULL,
  created_at_ms INTEGER,
  cost_nano_usd INTEGER NOT NULL,
  input INTEGER NOT NULL,
  output INTEGER NOT NULL,
  reasoning INTEGER NOT NULL,
  cache_read INTEGER NOT NULL,
  cache_write INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ledger_steps (
  id TEXT PRIMARY KEY,
  message_id TEXT NOT NULL,
  agent_session_id TEXT,
  cost_nano_usd INTEGER NOT NULL,
  input INTEGER NOT NULL,
  output INTEGER NOT NULL,
  reasoning INTEGER NOT NULL,
  cache_read INTEGER NOT NULL,
  cache_write INTEGER NOT NULL
) WITHOUT ROWID;
`;

const USAGE_COLUMNS = [
  "cost_nano_usd",
  "input",
  "output",
  "reasoning",
  "cache_read",
  "cache_write",
];

/** True when any listed column of the incoming row differs from the stored one. */
function differs(table: string, columns: readonly string[]): string {
  return columns.map((c) => `excluded.${c} IS NOT ${table}.${c}`).join(" OR ");
}

/** 1 when the table's row carries any tokens, else 0. */
function hasTokens(table: string): string {
  const sum = ["input", "output", "reasoning", "cache_read", "cache_write"]
    .map((c) => `${table}.${c}`)
    .join(" + ");
  return `(${sum} > 0)`;
}

/*
 * Out-of-order copies of a message never roll it back: a completed copy
 * beats one that is not, and otherwise the higher cumulative cost wins
 * (cost only grows over a message's steps). At equal cost a copy without
 * tokens loses to one with tokens: it is the copy sent at creation, and a
 * model that costs nothing leaves cost no other way to tell them apart.
 * Equal rank with other figures means a newer copy, which replaces.
 */
const UPSERT_MESSAGE = `
INSERT INTO ledger_messages (id, agent_session_id, model, completed, created_at_ms,
  cost_nano_usd, input, output, reasoning, cache_read, cache_write)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
  agent_session_id = coalesce(excluded.agent_session_id, agent_session_id),
  model = coalesce(excluded.model, model),
  completed = excluded.completed,
  created_at_ms = coalesce(created_at_ms, excluded.created_at_ms),
  cost_nano_usd = excluded.cost_nano_usd,
  input = excluded.input, output = excluded.output, reasoning = excluded.reasoning,
  cache_read = excluded.cache_read, cache_write = excluded.cache_write
WHERE (excluded.completed > ledger_messages.completed
    OR (excluded.completed = ledger_messages.completed
        AND (excluded.cost_nano_usd > ledger_messages.cost_nano_usd
          OR (excluded.cost_nano_usd = ledger_messages.cost_nano_usd
            AND ${hasTokens("excluded")} >= ${hasTokens("ledger_messages")}))))
  AND (${differs("ledger_messages", [
    ...USAGE_COLUMNS,
    "completed",
    "model",
    "agent_session_id",
  ])})`;

const UPSERT_STEP = `
INSERT INTO ledger_steps (id, message_id, agent_session_id,
  cost_nano_usd, input, output, reasoning, cache_read, cache_write)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
  message_id = excluded.message_id, agent_session_id = excluded.agent_session_id,
  cost_nano_usd = excluded.cost_nano_usd,
  input = excluded.input, output = excluded.output, reasoning = excluded.reasoning,
  cache_read = excluded.cache_read, cache_write = excluded.cache_write
WHERE ${differs("ledger_steps", [...USAGE_COLUMNS, "message_id", "agent_session_id"])}`;

interface MessageRow extends Record<string, SqlStorageValue> {
  id: string;
  agent_session_id: string | null;
  model: string | null;
  completed: number;
  created_at_ms: number | null;
  cost_nano_usd: number;
  input: number;
  output: number;
  reasoning: number;
  cache_read: number;
  cache_write: number;
}

interface StepSumRow extends Record<string, SqlStorageValue> {
  message_id: string;
  steps: number;
  cost_nano_usd: number;
  input: number;
  output: number;
  reasoning: number;
  cache_read: number;
  cache_write: number;
}

function usageOf(row: MessageRow | StepSumRow): Usage {
  return {
    costNanoUsd: row.cost_nano_usd,
    tokens: {
      input: row.input,
      output: row.output,
      reasoning: row.reasoning,
      cacheRead: row.cache_read,
      cacheWrite: row.cache_write,
    },
  };
}

function usageValues({ costNanoUsd, tokens }: Usage) {
  const t = tokens;
  return [costNanoUsd, t.input, t.output, t.reasoning, t.cacheRead, t.cacheWrite];
}

/** Reads and writes the ledger tables of one session. */
export class LedgerStore {
  constructor(private readonly sql: Sql) {}

  /** Creates the tables; safe to call on every start. */
  migrate(): void {
    this.sql.exec(SCHEMA);
  }

  /** Stores a copy of a message. @returns whether the ledger changed. */
  putMessage(m: MessageRecord): boolean {
    const cursor = this.sql.exec(
      UPSERT_MESSAGE,
      m.id,
      m.agentSessionId,
      m.model,
      m.completed ? 1 : 0,
      m.createdAtMs,
      ...usageValues(m),
    );
    return cursor.rowsWritten > 0;
  }

  /** Stores a step. @returns whether the ledger changed. */
  putStep(s: StepRecord): boolean {
    const cursor = this.sql.exec(
      UPSERT_STEP,
      s.id,
      s.messageId,
      s.agentSessionId,
      ...usageValues(s),
    );
    return cursor.rowsWritten > 0;
  }

  /** Every stored message. */
  messages(): MessageRecord[] {
    return this.sql
      .exec<MessageRow>("SELECT * FROM ledger_messages")
      .toArray()
      .map((row) => ({
        id: row.id,
        agentSessionId: row.agent_session_id,
        model: row.model,
        completed: row.completed === 1,
        createdAtMs: row.created_at_ms,
        ...usageOf(row),
      }));
  }

  /**
   * The steps summed per message. `total()` rather than `sum()`: it is exact
   * below 2^53 and, unlike `sum()`, cannot fail on a hostile stream whose
   * sum passes 2^63; the session then keeps working with rounded totals.
   */
  stepSums(): StepSum[] {
    const query = `SELECT message_id, count(*) AS steps,
      total(cost_nano_usd) AS cost_nano_usd, total(input) AS input,
      total(output) AS output, total(reasoning) AS reasoning,
      total(cache_read) AS cache_read, total(cache_write) AS cache_write
      FROM ledger_steps GROUP BY message_id`;
    return this.sql
      .exec<StepSumRow>(query)
      .toArray()
      .map((row) => ({ messageId: row.message_id, steps: row.steps, ...usageOf(row) }));
  }

  /**
   * The agent's root session: the session of the earliest message. Sub-agents
   * start later, so their messages are never the first.
   */
  rootAgentSessionId(): string | null {
    const query = `SELECT agent_session_id FROM ledger_messages
      WHERE agent_session_id IS NOT NULL
      ORDER BY created_at_ms IS NULL, created_at_ms, id LIMIT 1`;
    const row = this.sql.exec<{ agent_session_id: string }>(query).toArray()[0];
    return row?.agent_session_id ?? null;
  }
}
