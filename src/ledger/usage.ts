/**
 * The ledger's vocabulary: token classes and usage records, in the units
 * the ledger keeps (whole tokens, integer nanodollars).
 */

/** Disjoint token classes, as the agent reports them. */
export interface TokenCounts {
  /** Prompt tokens, excluding cache reads and writes. */
  input: number;
  /** Completion tokens, excluding reasoning. */
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
}

/** Tokens and cost of one message, one step, or a sum of them. */
export interface Usage {
  tokens: TokenCounts;
  /** Exact cost in nanodollars (1e-9 USD), so sums never drift. */
  costNanoUsd: number;
}

/** An assistant message as last stored: its model and its own figures. */
export interface MessageRecord extends Usage {
  id: string;
  /** The agent's session (root or sub-agent) that the message belongs to. */
  agentSessionId: string | null;
  /** `provider/model`, see `modelKey`; null when the agent sent none. */
  model: string | null;
  /** Whether the agent marked the message done (`time.completed`). */
  completed: boolean;
  /** `time.created` in epoch ms, used to find the root session. */
  createdAtMs: number | null;
}

/** One model call: a `step-finish` part. */
export interface StepRecord extends Usage {
  id: string;
  messageId: string;
  agentSessionId: string | null;
}

export const NANO_USD_PER_USD = 1_000_000_000;
export const NANO_USD_PER_MICRO_USD = 1_000;

/** An all-zero token count. */
export function zeroTokens(): TokenCounts {
  return { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 };
}

/** Adds `b` into `a` and returns `a`. */
export function addUsage(a: Usage, b: Usage): Usage {
  a.tokens.input += b.tokens.input;
  a.tokens.output += b.tokens.output;
  a.tokens.reasoning += b.tokens.reasoning;
  a.tokens.cacheRead += b.tokens.cacheRead;
  a.tokens.cacheWrite += b.tokens.cacheWrite;
  a.costNanoUsd += b.costNanoUsd;
  return a;
}

/** Tokens the web app calls "in": prompt plus cache reads and writes. */
export function tokensIn(tokens: TokenCounts): number {
  return tokens.input + tokens.cacheRead + tokens.cacheWrite;
}

/** Tokens the web app calls "out": completion plus reasoning. */
export function tokensOut(tokens: TokenCounts): number {
  return tokens.output + tokens.reasoning;
}

/**
 * Dollars as exact nanodollars. Costs arrive as floats; rounding each one
 * once, here, is the only rounding before the final microdollar.
 */
export function usdToNanoUsd(costUsd: number): number {
  return Math.round(costUsd * NANO_USD_PER_USD);
}

/** Nanodollars as dollars rounded to the microdollar (the web app's unit). */
export function nanoUsdToUsd(costNanoUsd: number): number {
  return Math.round(costNanoUsd / NANO_USD_PER_MICRO_USD) / 1_000_000;
}

/**
 * The model's name as the web app shows it: `modelID` when it already holds
 * a path (`anthropic/claude-sonnet-4.6`), else `providerID/modelID`.
 */
export function modelKey(modelId: string | undefined, providerId: string | undefined) {
  if (!modelId) return null;
  if (modelId.includes("/") || !providerId) return modelId;
  return `${providerId}/${modelId}`;
}
