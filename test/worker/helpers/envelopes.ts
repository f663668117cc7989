/** Building the agent's envelopes in its exact wire format (REFERENCE.md §3). */

export interface Tokens {
  input?: number;
  output?: number;
  reasoning?: number;
  cacheRead?: number;
  cacheWrite?: number;
}

function wireTokens(t: Tokens = {}) {
  return {
    input: t.input ?? 0,
    output: t.output ?? 0,
    reasoning: t.reasoning ?? 0,
    cache: { read: t.cacheRead ?? 0, write: t.cacheWrite ?? 0 },
  };
}

function envelope(streamEventType: string, data: unknown) {
  return { streamEventType, timestamp: new Date(0).toISOString(), data };
}

export interface MessageOptions {
  id: string;
  sessionID?: string;
  modelID?: string;
  providerID?: string;
  cost?: number;
  tokens?: Tokens;
  created?: number;
  completed?: boolean;
  error?: unknown;
}

/** A `message.updated` for an assistant message. */
export function assistantMessage(options: MessageOptions) {
  return envelope("kilocode", {
    type: "message.updated",
    properties: {
      info: {
        id: options.id,
        sessionID: options.sessionID ?? "ses_root",
        parentID: "msg_user",
        role: "assistant",
        modelID: options.modelID ?? "anthropic/claude-sonnet-4.6",
        providerID: options.providerID ?? "kilo",
        cost: options.cost ?? 0,
        tokens: wireTokens(options.tokens),
        time: {
          created: options.created ?? 1_700_000_000_000,
          ...(options.completed
            ? { completed: (options.created ?? 1_700_000_000_000) + 1 }
            : {}),
        },
        ...(options.error ? { error: options.error } : {}),
        ...(options.completed ? { finish: "stop" } : {}),
      },
    },
  });
}

export interface StepOptions {
  id: string;
  messageID: string;
  sessionID?: string;
  cost?: number;
  tokens?: Tokens;
}

/** A `message.part.updated` whose part is a `step-finish`. */
export function stepFinish(options: StepOptions) {
  return envelope("kilocode", {
    type: "message.part.updated",
    properties: {
      part: {
        id: options.id,
        messageID: options.messageID,
        sessionID: options.sessionID ?? "ses_root",
        type: "step-finish",
        cost: options.cost ?? 0,
        tokens: wireTokens(options.tokens),
      },
    },
  });
}

export const heartbeat = () => envelope("heartbeat", {});
export const output = (line: string) => envelope("output", { line });
export const complete = (exitCode = 0, currentBranch?: string) =>
  envelope("complete", { exitCode, ...(currentBranch ? { currentBranch } : {}) });
export const interrupted = () => envelope("interrupted", {});
export const fatalError = (message: string) =>
  envelope("error", { fatal: true, message });
export const busEvent = (type: string, properties: unknown = {}) =>
  envelope("kilocode", { type, properties });
