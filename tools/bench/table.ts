/**
 * The printed report: one section per measurement, targets beside the
 * figures they apply to, then the target summary and any anomalies.
 * @module
 */
import type {
  BenchResults,
  DeliveryCount,
  FleetFigure,
  LatencyFigure,
  RowsFigure,
  TargetCheck,
  ThroughputFigure,
} from "./results.ts";
import type { Spread } from "./stats.ts";
import { MIN_RATIO_TO_FLOOR, isFloorTargetMode } from "./targets.ts";

const INDENT = "  ";

/** The whole report as lines of text. */
export function renderReport(results: BenchResults): string[] {
  const { machine } = results;
  return [
    `Session service bench, ${results.startedAt}`,
    `${machine.cpus} x ${machine.cpuModel}, Node ${machine.node}, ` +
      `wrangler ${machine.wrangler}; took ${formatDuration(results.durationMs)}`,
    `load average (1 min) ${machine.loadAverageAtStart} at start, ` +
      `${machine.loadAverageAtEnd} at end` +
      (Math.max(machine.loadAverageAtStart, machine.loadAverageAtEnd) > machine.cpus
        ? ": the machine was busy with other work, figures are noisy"
        : ""),
    ...results.conditions.map((line) => `${INDENT}${line}`),
    "",
    ...throughputSection(results.throughput),
    ...rowsSection(results.rows),
    ...(results.latency ? latencySection(results.latency) : []),
    ...(results.fleet ? fleetSection(results.fleet) : []),
    ...targetsSection(results.targets),
    ...anomaliesSection(results.anomalies),
    ...(results.error ? ["", `The bench broke: ${results.error}`] : []),
  ];
}

function throughputSection(figures: readonly ThroughputFigure[]): string[] {
  if (figures.length === 0) return [];
  const rounds = figures[0]?.ingestRounds.length ?? 0;
  const rows = figures.map((f) => {
    const isTarget = isFloorTargetMode(f);
    return [
      f.mode,
      integer(f.ingestEventsPerSecond),
      integer(f.floorEventsPerSecond),
      f.ratioToFloor.toFixed(2),
      isTarget ? `>= ${MIN_RATIO_TO_FLOOR}` : "",
      isTarget ? metText(f.ratioToFloor >= MIN_RATIO_TO_FLOOR) : "",
    ];
  });
  return section(
    `1-2. Ingest throughput of one session, one message in flight ` +
      `(events/s, median of ${rounds} rounds)`,
    [["Mode", "Ingest ev/s", "Floor ev/s", "Ingest/floor", "Target", ""], ...rows],
    [false, true, true, true, false, false],
  );
}

function rowsSection(figures: readonly RowsFigure[]): string[] {
  if (figures.length === 0) return [];
  const rows = figures.map((f) => {
    const limitMet =
      f.kind === "usage" ? f.rowsPerEnvelope <= 1 : f.rowsPerEnvelope === 0;
    return [
      f.kind === "usage" ? "usage-bearing" : "no usage",
      f.fedAs,
      integer(f.envelopes),
      integer(f.rowsWritten),
      f.rowsPerEnvelope.toFixed(3),
      f.kind === "usage" ? "<= 1" : "0",
      metText(limitMet),
    ];
  });
  return section(
    "3. SQL rows written per envelope (each kind alone on its own session)",
    [["Envelopes", "Fed as", "Sent", "Rows", "Rows/envelope", "Target", ""], ...rows],
    [false, false, true, true, true, false, false],
  );
}

function latencySection(figure: LatencyFigure): string[] {
  return [
    `4. Terminal signal (complete POST returned) to arrival at the stand-in, ` +
      `${integer(figure.sessions)} sessions one at a time`,
    ...columns(
      [
        ["Delivery", "Median", "p99", "Max", "Arrived"],
        spreadRow("usage report", figure.usageMs, figure.usage),
        spreadRow("status callback", figure.callbackMs, figure.callback),
      ],
      [false, true, true, true, false],
    ),
    `${INDENT}callback before its usage report: ${figure.callbackBeforeUsage}`,
    ...negativeNote(figure.usageMs, figure.callbackMs),
    "",
  ];
}

function fleetSection(figure: FleetFigure): string[] {
  const title =
    `5. ${integer(figure.sessions)} sessions x ${figure.envelopesPerSession} envelopes ` +
    `(batches of ${figure.envelopesPerRequest}), ${figure.concurrency} in flight`;
  const exact = (c: DeliveryCount) =>
    metText(c.missing === 0 && c.duplicated === 0 && c.once === figure.sessions);
  return [
    title,
    `${INDENT}wall time, first registration to last delivery: ${seconds(figure.wallMs)}`,
    `${INDENT}of which ingest and completion of all sessions:  ${seconds(figure.ingestMs)}`,
    ...columns(
      [
        ["Delivery", "Median", "p99", "Max", "Arrived", "Target", ""],
        [
          ...spreadRow("usage report", figure.usageMs, figure.usage),
          "exactly once",
          exact(figure.usage),
        ],
        [
          ...spreadRow("status callback", figure.callbackMs, figure.callback),
          "exactly once",
          exact(figure.callback),
        ],
      ],
      [false, true, true, true, false, false, false],
    ),
    `${INDENT}callback before its usage report: ${figure.callbackBeforeUsage}; ` +
      `listened ${seconds(figure.duplicateWindowMs)} after the last arrival for repeats`,
    ...negativeNote(figure.usageMs, figure.callbackMs),
    "",
  ];
}

/** Explains a delivery that arrived before the bench read the answer. */
function negativeNote(...spreads: Spread[]): string[] {
  if (!spreads.some((s) => s.min < 0)) return [];
  return [
    `${INDENT}(below 0 ms: the delivery reached the stand-in before the answer to ` +
      "`complete` reached the bench; the alarm fires as soon as `complete` commits)",
  ];
}

function targetsSection(targets: readonly TargetCheck[]): string[] {
  const met = targets.filter((t) => t.met).length;
  return [
    `Targets (not asserted): ${met} of ${targets.length} met`,
    ...targets.map(
      (t) =>
        `${INDENT}${t.met ? "[met]   " : "[MISSED]"} ${t.name}: ${t.target}; got ${t.actual}`,
    ),
    "",
  ];
}

function anomaliesSection(anomalies: readonly string[]): string[] {
  if (anomalies.length === 0) return ["Anomalies: none"];
  return ["Anomalies:", ...anomalies.map((a) => `${INDENT}- ${a}`)];
}

function spreadRow(name: string, spread: Spread, count: DeliveryCount): string[] {
  const arrived =
    `${integer(count.once)} once, ${count.missing} missing, ${count.duplicated} twice+` +
    (count.notOk > 0 ? `, ${count.notOk} non-200` : "");
  return [name, ms(spread.median), ms(spread.p99), ms(spread.max), arrived];
}

function section(title: string, rows: string[][], rightAlign: boolean[]): string[] {
  return [title, ...columns(rows, rightAlign), ""];
}

function columns(rows: readonly string[][], rightAlign: readonly boolean[]): string[] {
  return formatColumns(rows, rightAlign).map((line) => INDENT + line);
}

/** Pads each column to its widest cell; numbers align right. */
function formatColumns(
  rows: readonly string[][],
  rightAlign: readonly boolean[],
): string[] {
  const widths = rightAlign.map((_, col) =>
    Math.max(...rows.map((r) => (r[col] ?? "").length)),
  );
  return rows.map((row) =>
    row
      .map((cell, col) => {
        const width = widths[col] ?? cell.length;
        return rightAlign[col] ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd(),
  );
}

function metText(met: boolean): string {
  return met ? "met" : "MISSED";
}

function integer(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "n/a";
}

function ms(value: number): string {
  return Number.isFinite(value)
    ? `${Math.round(value).toLocaleString("en-US")} ms`
    : "n/a";
}

function seconds(valueMs: number): string {
  return `${(valueMs / 1000).toFixed(1)} s`;
}

function formatDuration(valueMs: number): string {
  const totalS = Math.round(valueMs / 1000);
  return `${Math.floor(totalS / 60)} min ${totalS % 60} s`;
}
