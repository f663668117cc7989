/**
 * What reached the web app stand-in, per review: the usage reports and
 * status callbacks in arrival order, with their arrival times. Reads the
 * stand-in's live `requests` array incrementally.
 * @module
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { RecordedRequest, WebAppStandIn } from "../web-app/stand-in.ts";
import type { DeliveryCount } from "./results.ts";

const POLL_INTERVAL_MS = 2;

/** One review's arrivals. */
export interface ReviewArrivals {
  usage: RecordedRequest[];
  status: RecordedRequest[];
}

/** An index of the stand-in's requests by review. */
export class ArrivalIndex {
  readonly #requests: RecordedRequest[];
  readonly #byReview = new Map<string, ReviewArrivals>();
  #scanned = 0;

  constructor(standIn: WebAppStandIn) {
    this.#requests = standIn.requests;
  }

  /** The review's arrivals so far (empty lists when none). */
  get(reviewId: string): ReviewArrivals {
    this.#catchUp();
    return this.#byReview.get(reviewId) ?? { usage: [], status: [] };
  }

  /**
   * Waits until each review has at least one usage report and one
   * callback, or until `timeoutMs` passes.
   * @returns whether all arrived
   */
  async waitForAll(reviewIds: readonly string[], timeoutMs: number): Promise<boolean> {
    const deadlineMs = Date.now() + timeoutMs;
    let pending = [...reviewIds];
    for (;;) {
      pending = pending.filter((id) => !this.#complete(id));
      if (pending.length === 0) return true;
      if (Date.now() >= deadlineMs) return false;
      await sleep(POLL_INTERVAL_MS);
    }
  }

  /** Counts per review: once, missing, more than once, and non-200 answers. */
  count(reviewIds: readonly string[], kind: keyof ReviewArrivals): DeliveryCount {
    const counts: DeliveryCount = { once: 0, missing: 0, duplicated: 0, notOk: 0 };
    for (const id of reviewIds) {
      const requests = this.get(id)[kind];
      if (requests.length === 0) counts.missing++;
      else if (requests.length === 1) counts.once++;
      else counts.duplicated++;
      counts.notOk += requests.filter((r) => r.answeredStatus !== 200).length;
    }
    return counts;
  }

  /** Reviews whose first callback arrived before their first usage report. */
  callbackBeforeUsage(reviewIds: readonly string[]): number {
    return reviewIds.filter((id) => {
      const { usage, status } = this.get(id);
      const [firstUsage] = usage;
      const [firstStatus] = status;
      return (
        firstUsage && firstStatus && firstStatus.receivedAtMs < firstUsage.receivedAtMs
      );
    }).length;
  }

  #complete(reviewId: string): boolean {
    const { usage, status } = this.get(reviewId);
    return usage.length > 0 && status.length > 0;
  }

  #catchUp(): void {
    for (; this.#scanned < this.#requests.length; this.#scanned++) {
      const request = this.#requests[this.#scanned];
      if (!request?.reviewId || request.kind === "other") continue;
      let arrivals = this.#byReview.get(request.reviewId);
      if (!arrivals) {
        arrivals = { usage: [], status: [] };
        this.#byReview.set(request.reviewId, arrivals);
      }
      arrivals[request.kind].push(request);
    }
  }
}
