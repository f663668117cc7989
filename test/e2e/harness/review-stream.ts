/**
 * Short agent streams in the wire format of REFERENCE.md section 3, with the
 * usage report the service must send for them and the footer the web app
 * must then show. A `seed` varies the numbers, so that every session of a
 * test has totals of its own and a mix-up between sessions shows.
 * @module
 */
import {
  assistantMessage,
  complete,
  heartbeat,
  output,
  stepFinish,
} from "../../worker/helpers/envelopes.ts";
import type { Tokens } from "../../worker/helpers/envelopes.ts";

const SONNET = "anthropic/claude-sonnet-4.6";
/** How the footer shows {@link SONNET}: without its first path segment. */
const SONNET_SHOWN = "claude-sonnet-4.6";
const ROOT_SESSION = "ses_e2e_root";
const SUB_AGENT_SESSION = "ses_e2e_sub";
/** The branch that the `complete` envelope reports. */
export const BRANCH = "feat/e2e-review";

/** What the usage report must carry, cost in whole microdollars. */
export interface ExpectedUsage {
  model: string;
  totalTokensIn: number;
  totalTokensOut: number;
  costMicroUsd: number;
}

/** Envelopes and the usage they add up to. */
export interface Stream {
  envelopes: unknown[];
  usage: ExpectedUsage;
}

interface Step {
  id: string;
  tokens: Required<Tokens>;
  costMicroUsd: number;
}

/**
 * A review up to, not including, its end: a root message of two steps on
 * Sonnet, a sub-agent's message on Haiku, `message.updated` repeated the
 * way the agent sends it (tokens overwritten by the last step, cost
 * accumulated), heartbeats and output lines. Sonnet has the most tokens.
 */
export function reviewStream(seed: number): Stream {
  const first = step("prt_1", [1_200 + seed, 350, 120, 18_000, 2_400], 41_250 + seed);
  const second = step("prt_2", [300, 900 + seed, 0, 20_400, 600], 27_125);
  const sub = step("prt_sub", [800, 200, 40, 3_000, 0], 1_875 + seed);
  const root = { id: "msg_root", sessionID: ROOT_SESSION, modelID: SONNET };
  const subMessage = {
    id: "msg_sub",
    sessionID: SUB_AGENT_SESSION,
    modelID: "claude-haiku-4-5",
    providerID: "anthropic",
  };
  const envelopes = [
    assistantMessage(root),
    stepFinish(stepOf(first, root)),
    assistantMessage({ ...root, ...usageOf([first]) }),
    heartbeat(),
    output("reading src/retry.ts"),
    assistantMessage(subMessage),
    stepFinish(stepOf(sub, subMessage)),
    assistantMessage({ ...subMessage, ...usageOf([sub]), completed: true }),
    stepFinish(stepOf(second, root)),
    // The last step's tokens with the cost of both: the trap of section 3.
    assistantMessage({ ...root, ...usageOf([first, second]), completed: true }),
    assistantMessage({ ...root, ...usageOf([first, second]), completed: true }),
  ];
  return { envelopes, usage: totalsOf([first, second, sub]) };
}

/** Another Sonnet message of one step, sent after the session ended. */
export function lateMessage(seed: number): Stream {
  const late = step("prt_late", [2_000, 640 + seed, 0, 9_000, 0], 9_500);
  const message = { id: "msg_late", sessionID: ROOT_SESSION, modelID: SONNET };
  const envelopes = [
    stepFinish(stepOf(late, message)),
    assistantMessage({ ...message, ...usageOf([late]), completed: true }),
  ];
  return { envelopes, usage: totalsOf([late]) };
}

/** The `complete` envelope of a run that succeeded. */
export function completeEnvelope(): unknown {
  return complete(0, BRANCH);
}

/** Usage of both, as the ledger sums it. */
export function addUsage(a: ExpectedUsage, b: ExpectedUsage): ExpectedUsage {
  return {
    model: SONNET,
    totalTokensIn: a.totalTokensIn + b.totalTokensIn,
    totalTokensOut: a.totalTokensOut + b.totalTokensOut,
    costMicroUsd: a.costMicroUsd + b.costMicroUsd,
  };
}

/** The body the usage endpoint must receive. */
export function reportBody(usage: ExpectedUsage) {
  return {
    model: usage.model,
    totalTokensIn: usage.totalTokensIn,
    totalTokensOut: usage.totalTokensOut,
    totalCost: usage.costMicroUsd / 1_000_000,
  };
}

/** The footer the web app renders from this usage (REFERENCE.md section 2). */
export function footerOf(usage: ExpectedUsage): string {
  const tokens = (usage.totalTokensIn + usage.totalTokensOut).toLocaleString("en-US");
  return `Reviewed by ${SONNET_SHOWN} \u00b7 ${tokens} tokens`;
}

/** `[input, output, reasoning, cacheRead, cacheWrite]`, to keep steps short. */
type TokenRow = [number, number, number, number, number];

function step(id: string, row: TokenRow, costMicroUsd: number): Step {
  const [input, output, reasoning, cacheRead, cacheWrite] = row;
  return {
    id,
    tokens: { input, output, reasoning, cacheRead, cacheWrite },
    costMicroUsd,
  };
}

function stepOf(s: Step, message: { id: string; sessionID: string }) {
  return {
    id: s.id,
    messageID: message.id,
    sessionID: message.sessionID,
    cost: s.costMicroUsd / 1_000_000,
    tokens: s.tokens,
  };
}

/** A message's `cost` and `tokens` after these steps, as the agent sends them. */
function usageOf(steps: readonly Step[]) {
  const last = steps.at(-1);
  const costMicroUsd = steps.reduce((sum, s) => sum + s.costMicroUsd, 0);
  return { cost: costMicroUsd / 1_000_000, tokens: last?.tokens };
}

function totalsOf(steps: readonly Step[]): ExpectedUsage {
  let usage: ExpectedUsage = {
    model: SONNET,
    totalTokensIn: 0,
    totalTokensOut: 0,
    costMicroUsd: 0,
  };
  for (const { tokens: t, costMicroUsd } of steps) {
    usage = addUsage(usage, {
      model: SONNET,
      totalTokensIn: t.input + t.cacheRead + t.cacheWrite,
      totalTokensOut: t.output + t.reasoning,
      costMicroUsd,
    });
  }
  return usage;
}
