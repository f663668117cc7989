/**
 * One review's whole session as the orchestrator and the agent run it:
 * register with a review id and a callback to the stand-in, stream the
 * envelopes, then signal completion.
 * @module
 */
import { EnvelopeStream } from "./envelope-mix.ts";
import type { ServiceClient } from "./service-client.ts";

/** What a review session sends. */
export interface ReviewPlan {
  sessionId: string;
  reviewId: string;
  envelopes: number;
  envelopesPerRequest: number;
}

/** Where the callback goes: the stand-in's status endpoint. */
export interface CallbackTarget {
  standInUrl: string;
  internalSecret: string;
}

/**
 * Runs the session to completion.
 * @returns when the `complete` POST returned (Date.now() ms), the
 *   terminal signal the latencies are measured from
 */
export async function runReviewSession(
  client: ServiceClient,
  plan: ReviewPlan,
  callback: CallbackTarget,
): Promise<number> {
  const token = await client.register(plan.sessionId, {
    reviewId: plan.reviewId,
    callbackTarget: {
      url: `${callback.standInUrl}/api/internal/code-review-status/${plan.reviewId}`,
      headers: { "X-Internal-Secret": callback.internalSecret },
    },
  });
  const stream = new EnvelopeStream("mix", plan.sessionId);
  for (let sent = 0; sent < plan.envelopes; sent += plan.envelopesPerRequest) {
    const size = Math.min(plan.envelopesPerRequest, plan.envelopes - sent);
    await client.postBatch(
      "events",
      plan.sessionId,
      token,
      JSON.stringify(stream.batch(size)),
    );
  }
  await client.complete(plan.sessionId);
  return Date.now();
}
