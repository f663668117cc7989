/**
 * From stored messages and steps to the ledger's totals. Pure: the same
 * records give the same totals whatever order they arrived in.
 */
import type { StepSum } from "./ledger-store.ts";
import type { MessageRecord, Usage } from "./usage.ts";
import { addUsage, tokensIn, tokensOut, zeroTokens } from "./usage.ts";

/** Usage of one model; `model` is null for steps whose message never came. */
export interface ModelUsage extends Usage {
  model: string | null;
  messages: number;
  steps: number;
}

export interface LedgerTotals {
  total: Usage;
  byModel: ModelUsage[];
  /** The model to report: most tokens (in + out); on a tie, the one seen last. */
  model: string | null;
  messages: number;
  steps: number;
}

function emptyModel(model: string | null): ModelUsage {
  return { model, messages: 0, steps: 0, costNanoUsd: 0, tokens: zeroTokens() };
}

interface Bucket {
  usage: ModelUsage;
  /** The newest `created` time among its messages, for the tie-break. */
  lastSeenMs: number;
}

function bucketFor(buckets: Map<string | null, Bucket>, model: string | null): Bucket {
  let bucket = buckets.get(model);
  if (!bucket) {
    bucket = { usage: emptyModel(model), lastSeenMs: -Infinity };
    buckets.set(model, bucket);
  }
  return bucket;
}

/**
 * A message's usage is the sum of its steps when it has any: its own
 * `tokens` hold only the last step's. A stream without parts falls back to
 * the message's own figures.
 */
function addMessages(
  buckets: Map<string | null, Bucket>,
  messages: readonly MessageRecord[],
  sums: Map<string, StepSum>,
) {
  for (const message of messages) {
    const bucket = bucketFor(buckets, message.model);
    const stepSum = sums.get(message.id);
    addUsage(bucket.usage, stepSum ?? message);
    bucket.usage.messages += 1;
    bucket.usage.steps += stepSum?.steps ?? 0;
    bucket.lastSeenMs = Math.max(bucket.lastSeenMs, message.createdAtMs ?? -Infinity);
  }
}

/** Steps whose message has not arrived count at once, under no model. */
function addOrphanSteps(
  buckets: Map<string | null, Bucket>,
  messages: readonly MessageRecord[],
  sums: Map<string, StepSum>,
) {
  const known = new Set(messages.map((m) => m.id));
  for (const sum of sums.values()) {
    if (known.has(sum.messageId)) continue;
    const bucket = bucketFor(buckets, null);
    addUsage(bucket.usage, sum);
    bucket.usage.steps += sum.steps;
  }
}

function pickModel(buckets: Iterable<Bucket>): string | null {
  let best: Bucket | undefined;
  let bestTokens = -1;
  for (const bucket of buckets) {
    if (bucket.usage.model === null) continue;
    const tokens = tokensIn(bucket.usage.tokens) + tokensOut(bucket.usage.tokens);
    const newer = best !== undefined && bucket.lastSeenMs >= best.lastSeenMs;
    if (tokens > bestTokens || (tokens === bestTokens && newer)) {
      best = bucket;
      bestTokens = tokens;
    }
  }
  return best?.usage.model ?? null;
}

/** Sums the ledger, overall and per model. */
export function computeTotals(
  messages: readonly MessageRecord[],
  stepSums: readonly StepSum[],
): LedgerTotals {
  const sums = new Map(stepSums.map((sum) => [sum.messageId, sum]));
  const buckets = new Map<string | null, Bucket>();
  addMessages(buckets, messages, sums);
  addOrphanSteps(buckets, messages, sums);

  const byModel = [...buckets.values()].map((bucket) => bucket.usage);
  const total: Usage = { costNanoUsd: 0, tokens: zeroTokens() };
  for (const usage of byModel) addUsage(total, usage);
  return {
    total,
    byModel: byModel.sort((a, b) => (a.model ?? "~").localeCompare(b.model ?? "~")),
    model: pickModel(buckets.values()),
    messages: messages.length,
    steps: byModel.reduce((n, usage) => n + usage.steps, 0),
  };
}

/** Whether anything was spent: some tokens or some cost. */
export function hasUsage(totals: LedgerTotals): boolean {
  const t = totals.total.tokens;
  return totals.total.costNanoUsd > 0 || tokensIn(t) + tokensOut(t) > 0;
}
