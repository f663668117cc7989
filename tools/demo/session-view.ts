/**
 * The parts of the service's session view (`GET /sessions/:id`) that the
 * demo prints: the ledger by model and token class, and the deliveries.
 * @module
 */
import { arrayAt, nullableStringAt, numberAt, stringAt, valueAt } from "./json-path.ts";

/** One row of usage: a model, or the total. */
export interface UsageRow {
  model: string;
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
}

/** A delivery to the web app as the service reports it. */
export interface DeliverySummary {
  state: string;
  attempts: number;
  lastStatus: number | null;
}

/** What the demo reads from the session view. */
export interface SessionSummary {
  status: string;
  /** The model the service reports to the web app. */
  model: string | null;
  byModel: UsageRow[];
  total: UsageRow;
  deliveries: { usage: DeliverySummary | null; callback: DeliverySummary | null };
}

/** Reads the summary. @throws DemoError naming a field that is missing */
export function readSessionSummary(view: unknown): SessionSummary {
  const byModel = arrayAt(view, "usage.byModel").map((entry) =>
    readUsageRow(entry, stringAt(entry, "model")),
  );
  return {
    status: stringAt(view, "status"),
    model: nullableStringAt(view, "usage.model"),
    byModel,
    total: readUsageRow(valueAt(view, "usage.totals"), "total"),
    deliveries: {
      usage: readDelivery(valueAt(view, "deliveries.usage")),
      callback: readDelivery(valueAt(view, "deliveries.callback")),
    },
  };
}

function readUsageRow(json: unknown, model: string): UsageRow {
  return {
    model,
    input: numberAt(json, "input"),
    cacheRead: numberAt(json, "cacheRead"),
    cacheWrite: numberAt(json, "cacheWrite"),
    output: numberAt(json, "output"),
    reasoning: numberAt(json, "reasoning"),
    tokensIn: numberAt(json, "tokensIn"),
    tokensOut: numberAt(json, "tokensOut"),
    costUsd: numberAt(json, "costUsd"),
  };
}

function readDelivery(json: unknown): DeliverySummary | null {
  if (json === null || json === undefined) return null;
  const lastStatus = valueAt(json, "lastStatus");
  return {
    state: stringAt(json, "state"),
    attempts: numberAt(json, "attempts"),
    lastStatus: typeof lastStatus === "number" ? lastStatus : null,
  };
}
