/**
 * The stand-in's in-memory reviews, with the web app's rules for storing
 * usage and for the usage footer of the pull request's summary comment.
 * @module
 */
import type { StatusPayload, UsagePayload } from "./payloads.ts";
import type { Review, StoredUsage } from "./types.ts";

const MICRO_USD_PER_USD = 1_000_000;

const TOKEN_FORMAT = new Intl.NumberFormat("en-US");

/** What a status callback did to a review. */
export type StatusOutcome =
  | { outcome: "already-terminal"; review: Review }
  | { outcome: "finished"; review: Review };

/**
 * The model as the footer shows it: without its first path segment
 * (`anthropic/claude-sonnet-4.6` shows as `claude-sonnet-4.6`). A model with
 * no path shows as it is.
 */
export function displayModel(model: string): string {
  const slashAt = model.indexOf("/");
  return slashAt === -1 ? model : model.slice(slashAt + 1);
}

/**
 * Renders the footer the way the web app does, or returns null when the
 * model or either token total is not stored (the web app then appends none).
 * @example renderFooter({ model: "anthropic/claude-sonnet-4.6",
 *   totalTokensIn: 10_000, totalTokensOut: 3_579 })
 *   // "Reviewed by claude-sonnet-4.6 · 13,579 tokens"
 */
export function renderFooter(usage: StoredUsage): string | null {
  const { model, totalTokensIn, totalTokensOut } = usage;
  if (
    model === undefined ||
    totalTokensIn === undefined ||
    totalTokensOut === undefined
  ) {
    return null;
  }

  const tokens = TOKEN_FORMAT.format(totalTokensIn + totalTokensOut);
  return `Reviewed by ${displayModel(model)} \u00b7 ${tokens} tokens`;
}

/** Reviews by id. Readers get copies, so a caller cannot change the store. */
export class ReviewStore {
  readonly #reviews = new Map<string, Review>();

  /** Creates a running review unless it exists; says which happened. */
  create(reviewId: string): { review: Review; created: boolean } {
    const existing = this.#reviews.get(reviewId);
    if (existing !== undefined)
      return { review: structuredClone(existing), created: false };

    const review: Review = {
      reviewId,
      status: "running",
      usage: {},
      summary: null,
      footer: null,
    };
    this.#reviews.set(reviewId, review);
    return { review: structuredClone(review), created: true };
  }

  /** A copy of the review, or undefined when there is none. */
  get(reviewId: string): Review | undefined {
    const review = this.#reviews.get(reviewId);
    return review === undefined ? undefined : structuredClone(review);
  }

  /** Whether the review exists. */
  has(reviewId: string): boolean {
    return this.#reviews.has(reviewId);
  }

  /**
   * Stores the fields that the payload carries, each overwriting the last
   * value (the endpoint never adds). A terminal review stores them too, but
   * its footer is never written again.
   */
  storeUsage(reviewId: string, payload: UsagePayload): void {
    const usage = this.#require(reviewId).usage;
    if (payload.model !== undefined) usage.model = payload.model;
    if (payload.totalTokensIn !== undefined) usage.totalTokensIn = payload.totalTokensIn;
    if (payload.totalTokensOut !== undefined)
      usage.totalTokensOut = payload.totalTokensOut;
    if (payload.totalCost !== undefined) {
      usage.totalCostMicroUsd = Math.round(payload.totalCost * MICRO_USD_PER_USD);
    }
  }

  /**
   * Applies a status callback. A terminal review is left alone; a completed
   * one gets its summary, with the footer only if usage is already stored.
   */
  applyStatus(reviewId: string, payload: StatusPayload): StatusOutcome {
    const review = this.#require(reviewId);
    if (review.status !== "running") {
      return { outcome: "already-terminal", review: structuredClone(review) };
    }

    review.status = payload.status;
    if (payload.status === "completed") {
      review.footer = renderFooter(review.usage);
      review.summary = composeSummary(payload, review.footer);
    }
    return { outcome: "finished", review: structuredClone(review) };
  }

  #require(reviewId: string): Review {
    const review = this.#reviews.get(reviewId);
    if (review === undefined) throw new Error(`No review ${reviewId} in the stand-in`);
    return review;
  }
}

/** The summary comment: a fixed stand-in body, then the footer if any. */
function composeSummary(payload: StatusPayload, footer: string | null): string {
  const branch = payload.lastSeenBranch ?? "(unknown branch)";
  const body = [
    "## Code review",
    "",
    `Reviewed \`${branch}\` in session ${payload.sessionId}. No blocking issues found.`,
  ].join("\n");
  return footer === null ? body : `${body}\n\n---\n${footer}`;
}
