/**
 * Measurement 3: SQL rows written per envelope, for usage-bearing
 * envelopes and for the others, each kind fed alone to its own session.
 * The object's counter (`GET /bench/sessions/:id/stats`) is read before
 * and after; the difference is what the envelopes cost.
 * @module
 */
import { EnvelopeStream } from "./envelope-mix.ts";
import type { EnvelopeKind } from "./envelope-mix.ts";
import type { RowsFigure } from "./results.ts";
import { openSender } from "./senders.ts";
import type { SendMode } from "./senders.ts";
import type { ServiceClient } from "./service-client.ts";

/** How the envelopes are fed, and how many of them. */
const FEEDS: readonly { mode: SendMode; envelopes: number }[] = [
  {
    mode: { label: "HTTP, batches of 100", transport: "http", batchSize: 100 },
    envelopes: 2_000,
  },
  {
    mode: { label: "WebSocket, 1 per message", transport: "websocket", batchSize: 1 },
    envelopes: 400,
  },
];

const KINDS: readonly Exclude<EnvelopeKind, "mix">[] = ["usage", "other"];

/** A counter that went down means the object restarted mid-measurement. */
export interface RowsOutcome {
  figures: RowsFigure[];
  anomalies: string[];
}

/** Measures each kind under each feed, on fresh sessions. */
export async function measureRowsWritten(
  client: ServiceClient,
  runId: string,
  progress: (line: string) => void,
): Promise<RowsOutcome> {
  const figures: RowsFigure[] = [];
  const anomalies: string[] = [];
  for (const [feedIndex, feed] of FEEDS.entries()) {
    for (const kind of KINDS) {
      progress(`rows written: ${kind} envelopes, ${feed.mode.label}`);
      const sessionId = `bench-rows-${kind}-${feedIndex}-${runId}`;
      const figure = await measureOne(client, sessionId, kind, feed);
      if (figure.rowsWritten < 0) {
        anomalies.push(
          `rows written: the counter of ${sessionId} went down (the object restarted?)`,
        );
      }
      figures.push(figure);
    }
  }
  return { figures, anomalies };
}

async function measureOne(
  client: ServiceClient,
  sessionId: string,
  kind: Exclude<EnvelopeKind, "mix">,
  feed: (typeof FEEDS)[number],
): Promise<RowsFigure> {
  const token = await client.register(sessionId);
  const stream = new EnvelopeStream(kind, sessionId);
  const sender = await openSender(client, feed.mode, "ingest", { sessionId, token });
  const before = await client.rowsWritten(sessionId);
  for (let sent = 0; sent < feed.envelopes; sent += feed.mode.batchSize) {
    await sender.send(stream.batch(feed.mode.batchSize));
  }
  const after = await client.rowsWritten(sessionId);
  await sender.close();
  const rowsWritten = after - before;
  return {
    kind,
    fedAs: feed.mode.label,
    envelopes: feed.envelopes,
    rowsWritten,
    rowsPerEnvelope: rowsWritten / feed.envelopes,
  };
}
