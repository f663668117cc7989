/**
 * Measurements 1 and 2: one session's ingest throughput in events per
 * second, and the floor of the same requests through the path that parses
 * and stores nothing, in the same run and against the same object.
 *
 * Floor and ingest alternate over a few short rounds (their order flips
 * each round, so drift of the machine hits both alike); each figure is the
 * median round.
 * @module
 */
import { EnvelopeStream } from "./envelope-mix.ts";
import type { Round, ThroughputFigure } from "./results.ts";
import { openSender } from "./senders.ts";
import type { PathKind, SendMode, SessionRef } from "./senders.ts";
import type { ServiceClient } from "./service-client.ts";
import { median } from "./stats.ts";

/** The ways of sending measured, as issue 4 lists them. */
export const THROUGHPUT_MODES: readonly SendMode[] = [
  { label: "HTTP, batches of 1", transport: "http", batchSize: 1 },
  { label: "HTTP, batches of 100", transport: "http", batchSize: 100 },
  { label: "HTTP, batches of 1,000", transport: "http", batchSize: 1_000 },
  { label: "WebSocket, 1 per message", transport: "websocket", batchSize: 1 },
];

const ROUNDS = 5;
const ROUND_MS = 1_500;
const WARMUP_MS = 500;
/** Count bounds, in case a round runs far faster than expected. */
const MAX_MESSAGES_PER_ROUND = 20_000;
const MAX_ENVELOPES_PER_ROUND = 300_000;

/** Limits of one timed loop. */
interface LoopLimits {
  durationMs: number;
  maxMessages: number;
}

/** Measures every mode, each on its own fresh session. */
export async function measureThroughput(
  client: ServiceClient,
  runId: string,
  progress: (line: string) => void,
): Promise<ThroughputFigure[]> {
  const figures: ThroughputFigure[] = [];
  for (const [index, mode] of THROUGHPUT_MODES.entries()) {
    progress(`throughput: ${mode.label}`);
    const sessionId = `bench-tp-${index}-${runId}`;
    const token = await client.register(sessionId);
    figures.push(await measureMode(client, mode, { sessionId, token }));
  }
  return figures;
}

async function measureMode(
  client: ServiceClient,
  mode: SendMode,
  session: SessionRef,
): Promise<ThroughputFigure> {
  // Fresh ids on every request, so each usage envelope is new to the ledger.
  const stream = new EnvelopeStream("mix", session.sessionId);
  const maxMessages = Math.min(
    MAX_MESSAGES_PER_ROUND,
    Math.floor(MAX_ENVELOPES_PER_ROUND / mode.batchSize),
  );
  const run = (path: PathKind, durationMs: number) =>
    runLoop(client, mode, path, session, stream, { durationMs, maxMessages });

  await run("floor", WARMUP_MS);
  await run("ingest", WARMUP_MS);
  const rounds: Record<PathKind, Round[]> = { ingest: [], floor: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order: PathKind[] = round % 2 === 0 ? ["floor", "ingest"] : ["ingest", "floor"];
    for (const path of order) rounds[path].push(await run(path, ROUND_MS));
  }

  const ingest = median(rounds.ingest.map((r) => r.eventsPerSecond));
  const floor = median(rounds.floor.map((r) => r.eventsPerSecond));
  return {
    mode: mode.label,
    transport: mode.transport,
    envelopesPerMessage: mode.batchSize,
    ingestEventsPerSecond: ingest,
    floorEventsPerSecond: floor,
    ratioToFloor: ingest / floor,
    ingestRounds: rounds.ingest,
    floorRounds: rounds.floor,
  };
}

/** Sends one message at a time until the time or the count runs out. */
async function runLoop(
  client: ServiceClient,
  mode: SendMode,
  path: PathKind,
  session: SessionRef,
  stream: EnvelopeStream,
  limits: LoopLimits,
): Promise<Round> {
  const sender = await openSender(client, mode, path, session);
  const startMs = performance.now();
  const endMs = startMs + limits.durationMs;
  let messages = 0;
  while (messages < limits.maxMessages && performance.now() < endMs) {
    await sender.send(stream.batch(mode.batchSize));
    messages++;
  }
  const elapsedMs = performance.now() - startMs;
  await sender.close();
  const envelopes = messages * mode.batchSize;
  return {
    envelopes,
    messages,
    elapsedMs: Math.round(elapsedMs),
    eventsPerSecond: envelopes / (elapsedMs / 1000),
  };
}
