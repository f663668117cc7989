/**
 * A batch of envelopes, from an HTTP request or a WebSocket message, read
 * whole before anything is stored: one bad envelope rejects the batch.
 */
import { HttpError } from "../http/errors.ts";
import type { LedgerEvent } from "../ledger/envelope.ts";
import { EnvelopeError, parseEnvelope } from "../ledger/envelope.ts";

/** A request carries at most this many envelopes. */
export const MAX_EVENTS_PER_BATCH = 1_000;

/**
 * Parses envelopes into ledger events.
 * @throws HttpError `invalid_request` (with the failing paths) or
 * `payload_too_large`.
 */
export function parseBatch(envelopes: unknown): LedgerEvent[] {
  if (!Array.isArray(envelopes)) {
    throw new HttpError("invalid_request", "body must be a JSON array of envelopes");
  }
  if (envelopes.length > MAX_EVENTS_PER_BATCH) {
    throw new HttpError(
      "payload_too_large",
      `at most ${MAX_EVENTS_PER_BATCH} events a request, got ${envelopes.length}`,
    );
  }
  try {
    return envelopes.map((envelope, index) => parseEnvelope(envelope, `[${index}]`));
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    throw new HttpError(
      "invalid_request",
      `invalid envelope: ${error.message}`,
      error.issues,
    );
  }
}
