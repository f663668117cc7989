/**
 * The bench's figures: one shape for the table and for
 * `bench-results/latest.json`.
 * @module
 */
import type { Spread } from "./stats.ts";

/** One timed run of one path: what was sent and how long it took. */
export interface Round {
  envelopes: number;
  messages: number;
  elapsedMs: number;
  eventsPerSecond: number;
}

/** Ingest and its floor for one way of sending. */
export interface ThroughputFigure {
  /** Readable name, e.g. "HTTP, batches of 100". */
  mode: string;
  transport: "http" | "websocket";
  envelopesPerMessage: number;
  /** Median of the rounds. */
  ingestEventsPerSecond: number;
  floorEventsPerSecond: number;
  /** ingest / floor. */
  ratioToFloor: number;
  ingestRounds: Round[];
  floorRounds: Round[];
}

/** SQL rows written while one kind of envelope was ingested. */
export interface RowsFigure {
  kind: "usage" | "other";
  /** How the envelopes were sent, e.g. "HTTP, batches of 100". */
  fedAs: string;
  envelopes: number;
  rowsWritten: number;
  rowsPerEnvelope: number;
}

/** Per review: how often each endpoint was called. */
export interface DeliveryCount {
  /** Reviews whose report (or callback) arrived exactly once. */
  once: number;
  missing: number;
  /** Reviews that got it more than once. */
  duplicated: number;
  /** Requests the stand-in answered with anything but 200. */
  notOk: number;
}

/** Terminal signal to arrival, over sessions run one at a time. */
export interface LatencyFigure {
  sessions: number;
  usageMs: Spread;
  callbackMs: Spread;
  usage: DeliveryCount;
  callback: DeliveryCount;
  /** Sessions whose callback arrived before their usage report. */
  callbackBeforeUsage: number;
}

/** Many sessions at once, ingested and completed. */
export interface FleetFigure {
  sessions: number;
  envelopesPerSession: number;
  envelopesPerRequest: number;
  concurrency: number;
  /** First registration to the last delivery's arrival. */
  wallMs: number;
  /** First registration to the last `complete` answer. */
  ingestMs: number;
  /** complete answered → arrival, under this load. */
  usageMs: Spread;
  callbackMs: Spread;
  usage: DeliveryCount;
  callback: DeliveryCount;
  callbackBeforeUsage: number;
  /** How long the bench kept listening for duplicates after the last arrival. */
  duplicateWindowMs: number;
}

/** A target printed beside its figure; never asserted. */
export interface TargetCheck {
  name: string;
  target: string;
  actual: string;
  met: boolean;
}

/** Everything one run measured. */
export interface BenchResults {
  startedAt: string;
  durationMs: number;
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    wrangler: string;
    /** 1-minute load average; other work on the machine skews every figure. */
    loadAverageAtStart: number;
    loadAverageAtEnd: number;
  };
  /** How the service was run, in words. */
  conditions: string[];
  throughput: ThroughputFigure[];
  rows: RowsFigure[];
  latency: LatencyFigure | null;
  fleet: FleetFigure | null;
  targets: TargetCheck[];
  /** Things that looked wrong in the service during the run. */
  anomalies: string[];
  /** Set when the bench itself broke; the figures before it stand. */
  error?: string;
}
