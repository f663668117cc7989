/**
 * The ledger's totals computed straight from the definitions of issue 2
 * ("The ledger"), written apart from `src/ledger` so that the property
 * tests compare two independent readings of the same rules:
 *
 * - a message's usage is the sum of its steps when it has any, else its
 *   own final copy (the last one sent, when it never completed: an older
 *   copy never rolls it back);
 * - tokens in = input + cache read + cache write, out = output + reasoning;
 * - each event's cost becomes whole nanodollars once (`Math.round(usd * 1e9)`),
 *   the sum is exact, and the total is rounded to the microdollar (half up,
 *   as the web app's `Math.round`);
 * - the model is the one with the most tokens (in + out), named `modelID`
 *   when it holds a "/", else `providerID/modelID`.
 *
 * Costs are summed as bigint so the reference itself cannot drift.
 */
import type { Tokens } from "./envelopes.ts";
import type { GenMessage, ModelName } from "./usage-stream.ts";
import { messageCopies } from "./usage-stream.ts";

export interface ReferenceUsage {
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
  costNanoUsd: bigint;
}

export interface ReferenceModel extends ReferenceUsage {
  model: string;
  messages: number;
  steps: number;
}

export interface ReferenceTotals {
  total: ReferenceUsage;
  /** Sorted by model name. */
  byModel: ReferenceModel[];
  /** Null when no model has more tokens than every other (a tie at the top). */
  model: string | null;
  messages: number;
  steps: number;
}

/** The model's name as the web app shows it. */
export function referenceModelName({ modelID, providerID }: ModelName): string {
  return modelID.includes("/") ? modelID : `${providerID}/${modelID}`;
}

/** One event's cost in whole nanodollars. */
export function nanoOf(costUsd: number): bigint {
  return BigInt(Math.round(costUsd * 1e9));
}

/** Nanodollars rounded half up to whole microdollars. */
export function microOf(costNanoUsd: bigint): bigint {
  return (costNanoUsd + 500n) / 1000n;
}

export function tokensInOf(u: ReferenceUsage): number {
  return u.input + u.cacheRead + u.cacheWrite;
}

export function tokensOutOf(u: ReferenceUsage): number {
  return u.output + u.reasoning;
}

function zero(): ReferenceUsage {
  return {
    input: 0,
    output: 0,
    reasoning: 0,
    cacheRead: 0,
    cacheWrite: 0,
    costNanoUsd: 0n,
  };
}

function add(into: ReferenceUsage, tokens: Required<Tokens>, costNanoUsd: bigint) {
  into.input += tokens.input;
  into.output += tokens.output;
  into.reasoning += tokens.reasoning;
  into.cacheRead += tokens.cacheRead;
  into.cacheWrite += tokens.cacheWrite;
  into.costNanoUsd += costNanoUsd;
}

/** A message's usage: its steps when the stream carried them, else its newest copy. */
function messageUsage(message: GenMessage): ReferenceUsage {
  const usage = zero();
  if (message.withParts && message.steps.length > 0) {
    for (const step of message.steps) add(usage, step.tokens, nanoOf(step.costUsd));
    return usage;
  }
  const final = messageCopies(message).at(-1);
  if (final) add(usage, final.tokens, nanoOf(final.costUsd));
  return usage;
}

function topModel(byModel: readonly ReferenceModel[]): string | null {
  const ranked = byModel
    .map((m) => ({ model: m.model, tokens: tokensInOf(m) + tokensOutOf(m) }))
    .sort((a, b) => b.tokens - a.tokens);
  const [first, second] = ranked;
  if (!first) return null;
  return second && second.tokens === first.tokens ? null : first.model;
}

/** The totals the ledger must show for `messages`, whatever the stream's order. */
export function referenceTotals(messages: readonly GenMessage[]): ReferenceTotals {
  const total = zero();
  const models = new Map<string, ReferenceModel>();
  let steps = 0;
  for (const message of messages) {
    const name = referenceModelName(message.model);
    const entry = models.get(name) ?? { model: name, messages: 0, steps: 0, ...zero() };
    const usage = messageUsage(message);
    const stepCount = message.withParts ? message.steps.length : 0;
    for (const into of [total, entry]) {
      add(into, usage, usage.costNanoUsd);
    }
    entry.messages += 1;
    entry.steps += stepCount;
    steps += stepCount;
    models.set(name, entry);
  }
  const byModel = [...models.values()].sort((a, b) => a.model.localeCompare(b.model));
  return { total, byModel, model: topModel(byModel), messages: messages.length, steps };
}

/** Whether the top model is unique, so the tie-break is not in play. */
export function hasUniqueTopModel(totals: ReferenceTotals): boolean {
  return totals.byModel.length === 0 || totals.model !== null;
}

/** Whether anything was spent: the service reports usage only then. */
export function referenceHasUsage(totals: ReferenceTotals): boolean {
  return (
    totals.total.costNanoUsd > 0n ||
    tokensInOf(totals.total) + tokensOutOf(totals.total) > 0
  );
}
