/**
 * Structured logs: one JSON object a line with a stable `event` name, so
 * that `wrangler tail` and the `wrangler dev` console read well and grep
 * well. Callers pass ids and figures only; secrets, tokens and header
 * values are never handed to this module.
 */

/** Fields that may accompany an event. Values are printed as JSON. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Events that mean something went wrong go to `console.error`. */
const ERROR_SUFFIXES = [".failed", ".gave_up", ".error", ".misconfigured"];

/**
 * Writes one log line: `{"event": ..., ...fields}`.
 * @param event namespaced event name such as `usage.delivered`.
 */
export function logEvent(event: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ event, ...fields });
  if (ERROR_SUFFIXES.some((suffix) => event.endsWith(suffix))) {
    console.error(line);
  } else {
    console.log(line);
  }
}
