/**
 * The one error of the bench: the bench itself broke (a process did not
 * start, a request failed or was refused). A missed target is not an
 * error; it is a figure in the table.
 * @module
 */

/** The bench could not measure; the message says what and where. */
export class BenchError extends Error {
  override readonly name = "BenchError";
}

/** fetch hides the useful part (ECONNREFUSED, a timeout) in `cause`. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
