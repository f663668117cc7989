/**
 * The targets of issue 4, checked against the figures. Printed beside
 * them, never asserted: a missed target does not fail the bench.
 * @module
 */
import { FLEET_SESSIONS } from "./fleet.ts";
import type {
  BenchResults,
  DeliveryCount,
  TargetCheck,
  ThroughputFigure,
} from "./results.ts";

/** Ingest in 100-envelope batches should reach this share of its floor. */
export const MIN_RATIO_TO_FLOOR = 0.75;
/** Envelopes per HTTP batch in the mode the floor target applies to. */
const TARGET_BATCH_SIZE = 100;

/** Whether the floor target applies to this figure. */
export function isFloorTargetMode(figure: ThroughputFigure): boolean {
  return figure.transport === "http" && figure.envelopesPerMessage === TARGET_BATCH_SIZE;
}

type Figures = Pick<BenchResults, "throughput" | "rows" | "fleet">;

/** Every target with what was measured; a figure not measured is missed. */
export function checkTargets(results: Figures): TargetCheck[] {
  return [floorTarget(results), ...rowTargets(results), fleetTarget(results)];
}

function floorTarget({ throughput }: Figures): TargetCheck {
  const figure = throughput.find(isFloorTargetMode);
  const ratio = figure?.ratioToFloor;
  return {
    name: "ingest, HTTP batches of 100, vs its floor",
    target: `>= ${MIN_RATIO_TO_FLOOR} x floor`,
    actual: ratio === undefined ? "not measured" : `${ratio.toFixed(2)} x floor`,
    met: ratio !== undefined && ratio >= MIN_RATIO_TO_FLOOR,
  };
}

function rowTargets({ rows }: Figures): TargetCheck[] {
  const worst = (kind: "usage" | "other") => {
    const values = rows.filter((r) => r.kind === kind).map((r) => r.rowsPerEnvelope);
    return values.length === 0 ? undefined : Math.max(...values);
  };
  const other = worst("other");
  const usage = worst("usage");
  const show = (value: number | undefined) =>
    value === undefined
      ? "not measured"
      : `${value.toFixed(3)} rows/envelope (worst feed)`;
  return [
    {
      name: "envelopes without usage",
      target: "0 rows",
      actual: show(other),
      met: other === 0,
    },
    {
      name: "a usage-bearing envelope",
      target: "<= 1 row",
      actual: show(usage),
      met: usage !== undefined && usage <= 1,
    },
  ];
}

function fleetTarget({ fleet }: Figures): TargetCheck {
  const exact = (count: DeliveryCount) =>
    count.once === FLEET_SESSIONS && count.missing === 0 && count.duplicated === 0;
  const describe = (what: string, count: DeliveryCount) =>
    `${what} ${count.once} once, ${count.missing} missing, ${count.duplicated} twice+`;
  return {
    name: `${FLEET_SESSIONS.toLocaleString("en-US")} sessions delivered`,
    target: "each report and callback exactly once",
    actual: fleet
      ? `${fleet.sessions} sessions ran; ${describe("reports", fleet.usage)}; ` +
        describe("callbacks", fleet.callback)
      : "not measured",
    met: fleet !== null && exact(fleet.usage) && exact(fleet.callback),
  };
}
