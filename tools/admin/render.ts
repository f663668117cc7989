/** The admin view of a session, as readable tables. */
import type { Cell } from "./tables.ts";
import { fields, table } from "./tables.ts";

interface UsageRow {
  model?: string | null;
  messages?: number;
  steps?: number;
  tokensIn: number;
  tokensOut: number;
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
  costUsd: number;
}

interface DeliveryRow {
  state: string;
  attempts: number;
  nextAttemptAt: string | null;
  settledAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
}

interface AttemptRow {
  kind: string;
  attempt: number;
  startedAt: string;
  status: number | null;
  error: string | null;
  durationMs: number;
  verdict: string;
}

/** The fields of `GET /admin/sessions/:id` that the command prints. */
export interface AdminView {
  sessionId: string;
  reviewId: string | null;
  executionId: string;
  kiloSessionId: string | null;
  status: string;
  errorMessage: string | null;
  lastSeenBranch: string | null;
  createdAt: string;
  completedAt: string | null;
  lastActivityAt: string;
  callbackTarget: { url: string; headerNames: string[] } | null;
  usage: { model: string | null; totals: UsageRow; byModel: UsageRow[] };
  deliveries: Record<string, DeliveryRow | null>;
  attempts?: AttemptRow[];
}

function usageCells(row: UsageRow): Cell[] {
  return [
    row.tokensIn,
    row.tokensOut,
    row.input,
    row.cacheRead,
    row.cacheWrite,
    row.output,
    row.reasoning,
    `$${row.costUsd.toFixed(6)}`,
  ];
}

const USAGE_HEADER = [
  "in",
  "out",
  "input",
  "cache read",
  "cache write",
  "output",
  "reasoning",
  "cost",
];

function ledger(view: AdminView): string {
  const rows = view.usage.byModel.map((row) => [
    row.model ?? "(unknown)",
    ...usageCells(row),
  ]);
  rows.push(["TOTAL", ...usageCells(view.usage.totals)]);
  return table(["model", ...USAGE_HEADER], rows);
}

function deliveries(view: AdminView): string {
  const rows = Object.entries(view.deliveries).map(([kind, d]) =>
    d
      ? [
          kind,
          d.state,
          d.attempts,
          d.nextAttemptAt,
          d.settledAt,
          d.lastStatus,
          d.lastError,
        ]
      : [kind, "(none)"],
  );
  return table(
    [
      "delivery",
      "state",
      "attempts",
      "next attempt",
      "settled",
      "last status",
      "last error",
    ],
    rows,
  );
}

function attempts(view: AdminView): string {
  const rows = (view.attempts ?? []).map((a) => [
    a.startedAt,
    a.kind,
    a.attempt,
    a.status,
    a.error,
    a.durationMs,
    a.verdict,
  ]);
  if (rows.length === 0) return "(no attempts yet)";
  return table(["time", "kind", "#", "status", "error", "ms", "verdict"], rows);
}

/** The whole session as text. */
export function renderSession(view: AdminView): string {
  const summary = fields([
    ["session", view.sessionId],
    ["review", view.reviewId],
    ["execution", view.executionId],
    ["kilo session", view.kiloSessionId],
    ["status", view.status],
    ["error", view.errorMessage],
    ["branch", view.lastSeenBranch],
    ["created", view.createdAt],
    ["completed", view.completedAt],
    ["last activity", view.lastActivityAt],
    ["callback", view.callbackTarget?.url],
    ["reported model", view.usage.model],
  ]);
  return [summary, "", ledger(view), "", deliveries(view), "", attempts(view)].join("\n");
}
