/**
 * The agent's envelopes as the bench sends them, in the wire format of
 * REFERENCE.md §3. Usage-bearing envelopes follow a real message's life:
 * each message has two steps, and after each `step-finish` part comes a
 * `message.updated` with the cost so far, so every usage envelope changes
 * the ledger (new ids keep growing). The others are output lines and an
 * occasional heartbeat, which change no total.
 * @module
 */

/** One envelope, ready to serialize. */
export interface Envelope {
  streamEventType: string;
  timestamp: string;
  data: unknown;
}

/** Which envelopes a stream yields. */
export type EnvelopeKind = "mix" | "usage" | "other";

/** In the mix, one envelope in this many carries usage. */
export const USAGE_ONE_IN = 5;
/** Among the others, one in this many is a heartbeat, the rest output lines. */
const HEARTBEAT_ONE_IN = 4;
/** Usage envelopes per message: step, update, step, final update. */
const USAGE_EVENTS_PER_MESSAGE = 4;

const STEP_COST_USD = 0.0123;
const STEP_TOKENS = { input: 1_800, output: 240, reasoning: 60, read: 9_000, write: 300 };

/** An endless stream of envelopes whose ids never repeat within `idPrefix`. */
export class EnvelopeStream {
  readonly #kind: EnvelopeKind;
  readonly #idPrefix: string;
  #count = 0;
  #usageCount = 0;
  #otherCount = 0;

  constructor(kind: EnvelopeKind, idPrefix: string) {
    this.#kind = kind;
    this.#idPrefix = idPrefix;
  }

  /** The next envelope. */
  next(): Envelope {
    const index = this.#count++;
    const usage =
      this.#kind === "usage" ||
      (this.#kind === "mix" && index % USAGE_ONE_IN === USAGE_ONE_IN - 1);
    return usage ? this.#nextUsage() : this.#nextOther();
  }

  /** The next `size` envelopes. */
  batch(size: number): Envelope[] {
    return Array.from({ length: size }, () => this.next());
  }

  #nextUsage(): Envelope {
    const index = this.#usageCount++;
    const message = Math.floor(index / USAGE_EVENTS_PER_MESSAGE);
    const phase = index % USAGE_EVENTS_PER_MESSAGE;
    const messageId = `msg_${this.#idPrefix}_${message}`;
    const step = phase < 2 ? 1 : 2;
    if (phase % 2 === 0)
      return stepFinish(`prt_${this.#idPrefix}_${message}_${step}`, messageId);
    return messageUpdated(messageId, step, phase === USAGE_EVENTS_PER_MESSAGE - 1);
  }

  #nextOther(): Envelope {
    const index = this.#otherCount++;
    if (index % HEARTBEAT_ONE_IN === HEARTBEAT_ONE_IN - 1) {
      return envelope("heartbeat", {});
    }
    return envelope("output", {
      line: `[review] reading src/module-${index % 97}.ts: checking line ${index} for issues`,
    });
  }
}

function envelope(streamEventType: string, data: unknown): Envelope {
  return { streamEventType, timestamp: new Date().toISOString(), data };
}

function wireTokens() {
  const t = STEP_TOKENS;
  return {
    input: t.input,
    output: t.output,
    reasoning: t.reasoning,
    cache: { read: t.read, write: t.write },
  };
}

function stepFinish(id: string, messageId: string): Envelope {
  return envelope("kilocode", {
    type: "message.part.updated",
    properties: {
      part: {
        id,
        messageID: messageId,
        sessionID: "ses_bench_root",
        type: "step-finish",
        cost: STEP_COST_USD,
        tokens: wireTokens(),
      },
    },
  });
}

/** After `steps` steps: cost accumulates, tokens are the last step's (§3). */
function messageUpdated(id: string, steps: number, completed: boolean): Envelope {
  const createdMs = 1_700_000_000_000;
  return envelope("kilocode", {
    type: "message.updated",
    properties: {
      info: {
        id,
        sessionID: "ses_bench_root",
        parentID: "msg_bench_user",
        role: "assistant",
        modelID: "anthropic/claude-sonnet-4.6",
        providerID: "kilo",
        cost: STEP_COST_USD * steps,
        tokens: wireTokens(),
        time: completed
          ? { created: createdMs, completed: createdMs + 1 }
          : { created: createdMs },
        ...(completed ? { finish: "stop" } : {}),
      },
    },
  });
}
