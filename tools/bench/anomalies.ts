/**
 * What looked wrong in the service during the run: deliveries missing,
 * repeated, refused or out of order, and error or retry events on the
 * `wrangler dev` console.
 * @module
 */
import { readFile } from "node:fs/promises";
import type { DeliveryCount, FleetFigure, LatencyFigure } from "./results.ts";

/** Service log events that mean a delivery did not go as planned. */
const TROUBLE_EVENT =
  /"event":"([\w.]+\.(?:failed|gave_up|error|retry_scheduled|misconfigured))"/;
/** wrangler marks console.error lines and uncaught exceptions this way. */
const ERROR_MARKER = /\[ERROR\]|Uncaught/;

/** Anomalies in one delivery measurement's counts. */
export function deliveryAnomalies(
  what: string,
  figure: Pick<LatencyFigure | FleetFigure, "usage" | "callback" | "callbackBeforeUsage">,
): string[] {
  return [
    ...countAnomalies(`${what}: usage reports`, figure.usage),
    ...countAnomalies(`${what}: callbacks`, figure.callback),
    ...(figure.callbackBeforeUsage > 0
      ? [
          `${what}: ${figure.callbackBeforeUsage} callbacks arrived before their usage report`,
        ]
      : []),
  ];
}

function countAnomalies(what: string, count: DeliveryCount): string[] {
  const found: string[] = [];
  if (count.missing > 0) found.push(`${what}: ${count.missing} reviews got none`);
  if (count.duplicated > 0)
    found.push(`${what}: ${count.duplicated} reviews got more than one`);
  if (count.notOk > 0) found.push(`${what}: ${count.notOk} answered other than 200`);
  return found;
}

/**
 * Counts trouble events and error lines in the wrangler log.
 * @returns one line per kind of trouble; none when the log is clean
 */
export async function logAnomalies(logPath: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(logPath, "utf8");
  } catch {
    return [`could not read ${logPath}`];
  }
  const events = new Map<string, number>();
  let errorLines = 0;
  for (const line of text.split("\n")) {
    const event = TROUBLE_EVENT.exec(line)?.[1];
    if (event) events.set(event, (events.get(event) ?? 0) + 1);
    else if (ERROR_MARKER.test(line)) errorLines++;
  }
  const found = [...events].map(
    ([event, count]) => `service log: ${count} x ${event} (see ${logPath})`,
  );
  if (errorLines > 0) {
    found.push(`service log: ${errorLines} other error lines (see ${logPath})`);
  }
  return found;
}
