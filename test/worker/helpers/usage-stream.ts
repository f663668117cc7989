/**
 * Generated agent streams for the ledger's property tests: assistant
 * messages of several steps, sent the way the agent sends them
 * (REFERENCE.md §3), then duplicated, reordered, or mixed with noise.
 */
import fc from "fast-check";
import type { Tokens } from "./envelopes.ts";
import {
  assistantMessage,
  busEvent,
  heartbeat,
  output,
  stepFinish,
} from "./envelopes.ts";

/** A model as the agent names it: with a path in `modelID`, or without. */
export interface ModelName {
  modelID: string;
  providerID: string;
}

/*
 * The first two name the same model two ways, so the ledger must merge
 * them under one name.
 */
export const MODELS: readonly ModelName[] = [
  { modelID: "anthropic/claude-sonnet-4.6", providerID: "kilo" },
  { modelID: "claude-sonnet-4.6", providerID: "anthropic" },
  { modelID: "claude-haiku-4-5", providerID: "anthropic" },
  { modelID: "openai/gpt-5", providerID: "kilo" },
  { modelID: "gemini-2.5-pro", providerID: "google" },
];

export const AGENT_SESSIONS = ["ses_root", "ses_sub_a", "ses_sub_b"] as const;

/** One model call of a message. */
export interface GenStep {
  id: string;
  tokens: Required<Tokens>;
  /** Dollars, as the agent reports them: a float. */
  costUsd: number;
}

/** One assistant message and how the agent reports it. */
export interface GenMessage {
  id: string;
  agentSession: string;
  model: ModelName;
  createdMs: number;
  steps: GenStep[];
  /** False: the stream carries no `step-finish` parts for this message. */
  withParts: boolean;
  /** False: the agent stopped before the final, completed copy. */
  finished: boolean;
}

/** The figures of one `message.updated` copy. */
export interface MessageCopy {
  costUsd: number;
  tokens: Required<Tokens>;
  completed: boolean;
}

const ZERO_TOKENS: Required<Tokens> = {
  input: 0,
  output: 0,
  reasoning: 0,
  cacheRead: 0,
  cacheWrite: 0,
};

/**
 * The copies the agent sends for `message`: one at creation with zeros,
 * one after each step (cumulative cost, the last step's tokens), and a
 * final completed one unless the agent stopped before it.
 */
export function messageCopies(message: GenMessage): MessageCopy[] {
  const copies: MessageCopy[] = [{ costUsd: 0, tokens: ZERO_TOKENS, completed: false }];
  let costUsd = 0;
  let tokens = ZERO_TOKENS;
  for (const step of message.steps) {
    // The agent adds floats: the cost is cumulative, the tokens are not.
    costUsd += step.costUsd;
    tokens = step.tokens;
    copies.push({ costUsd, tokens, completed: false });
  }
  if (message.finished) copies.push({ costUsd, tokens, completed: true });
  return copies;
}

function copyEnvelope(message: GenMessage, copy: MessageCopy) {
  return assistantMessage({
    id: message.id,
    sessionID: message.agentSession,
    modelID: message.model.modelID,
    providerID: message.model.providerID,
    cost: copy.costUsd,
    tokens: copy.tokens,
    created: message.createdMs,
    completed: copy.completed,
  });
}

function stepEnvelope(message: GenMessage, step: GenStep) {
  return stepFinish({
    id: step.id,
    messageID: message.id,
    sessionID: message.agentSession,
    cost: step.costUsd,
    tokens: step.tokens,
  });
}

/** What the envelope is, for reorderings that move one kind. */
export type EnvelopeKind = "copy" | "step";

export interface TaggedEnvelope {
  kind: EnvelopeKind;
  messageId: string;
  envelope: unknown;
}

/** A message's envelopes in the order the agent sends them. */
export function messageEnvelopes(message: GenMessage): TaggedEnvelope[] {
  const tag = (kind: EnvelopeKind, envelope: unknown) => ({
    kind,
    messageId: message.id,
    envelope,
  });
  const copies = messageCopies(message);
  const out = [tag("copy", copyEnvelope(message, copies[0] as MessageCopy))];
  message.steps.forEach((step, index) => {
    if (message.withParts) out.push(tag("step", stepEnvelope(message, step)));
    out.push(tag("copy", copyEnvelope(message, copies[index + 1] as MessageCopy)));
  });
  const final = copies[message.steps.length + 1];
  if (final) out.push(tag("copy", copyEnvelope(message, final)));
  return out;
}

/** The whole stream, message after message, as the agent sends it. */
export function streamOf(messages: readonly GenMessage[]): TaggedEnvelope[] {
  return messages.flatMap(messageEnvelopes);
}

/** Token counts of one step; every class in play. */
export const tokensArb: fc.Arbitrary<Required<Tokens>> = fc.record({
  input: fc.integer({ min: 0, max: 60_000 }),
  output: fc.integer({ min: 0, max: 8_000 }),
  reasoning: fc.integer({ min: 0, max: 4_000 }),
  cacheRead: fc.integer({ min: 0, max: 120_000 }),
  cacheWrite: fc.integer({ min: 0, max: 20_000 }),
});

/**
 * A step's cost: arbitrary floats, whole nanodollars, and the values that
 * trip float sums (tiny, and ones with no exact binary form).
 */
export const costArb: fc.Arbitrary<number> = fc.oneof(
  fc.double({ min: 0, max: 0.5, noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: 0, max: 200_000_000 }).map((nano) => nano / 1e9),
  fc.constantFrom(0, 0.1, 0.0123, 1.23e-7, 4.99e-7, 5e-7, 1e-9),
);

const stepShapeArb = fc.record({ tokens: tokensArb, costUsd: costArb });

const messageShapeArb = fc.record({
  agentSession: fc.constantFrom(...AGENT_SESSIONS),
  model: fc.constantFrom(...MODELS),
  steps: fc.array(stepShapeArb, { minLength: 0, maxLength: 4 }),
  // Most streams carry parts; some messages come without (the fallback).
  withParts: fc.oneof(
    { arbitrary: fc.constant(true), weight: 3 },
    { arbitrary: fc.constant(false), weight: 1 },
  ),
  finished: fc.oneof(
    { arbitrary: fc.constant(true), weight: 4 },
    { arbitrary: fc.constant(false), weight: 1 },
  ),
});

/*
 * Copies of a message that never completed are ranked by their cumulative
 * cost, and at equal cost a copy with tokens beats the zero creation copy.
 * Two later copies of equal cost and different tokens cannot be told apart,
 * so every step after the first of such a message costs at least this.
 */
const MIN_UNFINISHED_STEP_COST_USD = 1e-8;

/** Gives generated shapes their ids and creation times. */
function identify(
  shapes: readonly (Omit<GenMessage, "id" | "createdMs" | "steps"> & {
    steps: Omit<GenStep, "id">[];
  })[],
): GenMessage[] {
  return shapes.map((shape, m) => ({
    ...shape,
    id: `msg_${m}`,
    createdMs: 1_700_000_000_000 + m * 1_000,
    steps: shape.steps.map((step, s) => ({
      id: `prt_${m}_${s}`,
      tokens: step.tokens,
      costUsd:
        shape.finished || s === 0
          ? step.costUsd
          : step.costUsd + MIN_UNFINISHED_STEP_COST_USD,
    })),
  }));
}

/** A review's messages: root and sub-agents, several models. */
export const messagesArb: fc.Arbitrary<GenMessage[]> = fc
  .array(messageShapeArb, { minLength: 1, maxLength: 8 })
  .map(identify);

/** Envelopes that carry no usage: the ledger must ignore every one. */
export const noiseArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(heartbeat()),
  fc.string({ maxLength: 40 }).map((line) => output(line)),
  fc
    .constantFrom(...AGENT_SESSIONS)
    .map((id) => busEvent("session.idle", { sessionID: id })),
  fc.constant(busEvent("session.updated", { info: { id: "ses_root", title: "review" } })),
  fc.constant(busEvent("file.edited", { file: "src/index.ts" })),
  fc.constant(
    busEvent("message.updated", {
      info: { id: "msg_user", sessionID: "ses_root", role: "user", time: { created: 1 } },
    }),
  ),
  fc.constant(
    busEvent("message.part.updated", {
      part: { id: "prt_text", messageID: "msg_0", type: "text", text: "Looks good." },
    }),
  ),
  fc.constant(
    busEvent("message.part.updated", {
      part: { id: "prt_start", messageID: "msg_0", type: "step-start" },
    }),
  ),
  fc.constant({ streamEventType: "status", timestamp: "t", data: { state: "busy" } }),
  fc.constant({
    streamEventType: "error",
    timestamp: "t",
    data: { message: "retrying" },
  }),
  fc.constant({ streamEventType: "started", timestamp: "t", data: {} }),
);

/** Inserts each `[item, at]` at position `at` modulo the current length. */
export function insertAt<T>(base: readonly T[], inserts: readonly [T, number][]): T[] {
  const out = [...base];
  for (const [item, at] of inserts) out.splice(at % (out.length + 1), 0, item);
  return out;
}

/** Splits `items` into batches whose sizes cycle through `sizes`. */
export function batchesOf<T>(items: readonly T[], sizes: readonly number[]): T[][] {
  const batches: T[][] = [];
  let start = 0;
  for (let i = 0; start < items.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    batches.push(items.slice(start, start + size));
    start += size;
  }
  return batches;
}

/** Batch sizes, from one event a request to a few dozen. */
export const batchSizesArb = fc.array(fc.integer({ min: 1, max: 40 }), {
  minLength: 1,
  maxLength: 8,
});
