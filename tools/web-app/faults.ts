/**
 * Injected failures of the stand-in's endpoints: one-shot faults queued per
 * endpoint, and an "endpoint is down" switch.
 * @module
 */
import type { EndpointKind, Fault } from "./types.ts";

/** What to do with one request instead of handling it, if anything. */
export type FaultOutcome =
  | { action: "handle" }
  | { action: "drop"; reason: "fault" | "unreachable" }
  | { action: "answer"; status: number; headers: Record<string, string>; body: string };

/** Queues of faults per endpoint kind, consumed one per request, in order. */
export class FaultPlan {
  readonly #queues: Record<EndpointKind, Fault[]> = { usage: [], status: [] };
  readonly #unreachable = new Set<EndpointKind>();

  /** Appends faults for the next requests of `kind`, in the given order. */
  inject(kind: EndpointKind, faults: readonly Fault[]): void {
    this.#queues[kind].push(...faults);
  }

  /** While on, every request of `kind` is dropped; queued faults wait. */
  setUnreachable(kind: EndpointKind, on: boolean): void {
    if (on) this.#unreachable.add(kind);
    else this.#unreachable.delete(kind);
  }

  /** Decides the fate of one request of `kind`, consuming a queued fault. */
  next(kind: EndpointKind): FaultOutcome {
    // A down endpoint answers nothing at all, so it consumes nothing either:
    // the queued faults apply once it is back.
    if (this.#unreachable.has(kind)) return { action: "drop", reason: "unreachable" };

    const fault = this.#queues[kind].shift();
    if (fault === undefined) return { action: "handle" };
    if (fault === "drop") return { action: "drop", reason: "fault" };

    return {
      action: "answer",
      status: fault.status,
      headers: { "content-type": "application/json", ...fault.headers },
      body: fault.body ?? JSON.stringify({ error: "Injected fault" }),
    };
  }
}
