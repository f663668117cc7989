/**
 * Running a generated stream through the real service over HTTP and
 * comparing what it shows and reports with the reference.
 */
import { expect } from "vitest";
import type { Registered, UsageView } from "./api.ts";
import { getSession, postEvents, registerSession } from "./api.ts";
import { fireAlarm } from "./alarms.ts";
import { complete } from "./envelopes.ts";
import type { ReferenceTotals, ReferenceUsage } from "./usage-reference.ts";
import { microOf, tokensInOf, tokensOutOf } from "./usage-reference.ts";
import type { webApp } from "./web-app.ts";

export type WebApp = ReturnType<typeof webApp>;

/** What to do around each batch. */
export interface BatchPlan {
  /** Per batch (cycled): post it a second time right after. */
  resend?: readonly boolean[];
  /** Per batch (cycled): fire the alarm after it. */
  fireAlarmAfter?: readonly boolean[];
}

function flag(flags: readonly boolean[] | undefined, index: number): boolean {
  if (!flags || flags.length === 0) return false;
  return flags[index % flags.length] ?? false;
}

async function postOnce(session: Registered, batch: readonly unknown[]) {
  const { status, body } = await postEvents(session, [...batch]);
  expect(status, JSON.stringify(body)).toBe(202);
  expect(body.accepted + body.ignored).toBe(batch.length);
}

/** Posts every batch, each whole, as the plan says. */
export async function postBatches(
  session: Registered,
  batches: readonly (readonly unknown[])[],
  plan: BatchPlan = {},
): Promise<void> {
  for (const [index, batch] of batches.entries()) {
    await postOnce(session, batch);
    if (flag(plan.resend, index)) await postOnce(session, batch);
    if (flag(plan.fireAlarmAfter, index)) await fireAlarm(session.sessionId);
  }
}

/** A fresh session (unique id, a review and a callback) with `batches` posted. */
export async function sessionWith(
  batches: readonly (readonly unknown[])[],
  plan: BatchPlan = {},
): Promise<Registered> {
  const session = await registerSession();
  await postBatches(session, batches, plan);
  return session;
}

/** Completes the session (a no-op if it already ended) and runs its deliveries. */
export async function finishAndDeliver(session: Registered): Promise<void> {
  await postOnce(session, [complete(0, "main")]);
  await fireAlarm(session.sessionId);
}

/** The usage reports the web app received for this session's review. */
export function reportsOf(web: WebApp, session: Registered) {
  const suffix = `/code-review-usage/${encodeURIComponent(`rev-${session.sessionId}`)}`;
  return web
    .of("usage")
    .filter((r) => r.url.endsWith(suffix))
    .map((r) => r.body);
}

export function callbacksOf(web: WebApp, session: Registered) {
  return web.of("callback").filter((r) => r.body.sessionId === session.sessionId);
}

/** The GET view of one usage, as the reference says it must read. */
export function expectedUsageView(usage: ReferenceUsage): UsageView {
  return {
    tokensIn: tokensInOf(usage),
    tokensOut: tokensOutOf(usage),
    input: usage.input,
    output: usage.output,
    reasoning: usage.reasoning,
    cacheRead: usage.cacheRead,
    cacheWrite: usage.cacheWrite,
    costUsd: Number(microOf(usage.costNanoUsd)) / 1e6,
    costNanoUsd: Number(usage.costNanoUsd),
  };
}

/** The body of the usage report for `reference`. */
export function expectedReport(reference: ReferenceTotals) {
  return {
    ...(reference.model === null ? {} : { model: reference.model }),
    totalTokensIn: tokensInOf(reference.total),
    totalTokensOut: tokensOutOf(reference.total),
    totalCost: Number(microOf(reference.total.costNanoUsd)) / 1e6,
  };
}

const byName = <T extends { model: string | null }>(a: T, b: T) =>
  (a.model ?? "") < (b.model ?? "") ? -1 : (a.model ?? "") > (b.model ?? "") ? 1 : 0;

/** Asserts that `GET /sessions/:id` shows exactly the reference's ledger. */
export async function expectLedgerMatches(
  session: Registered,
  reference: ReferenceTotals,
): Promise<void> {
  const { usage } = await getSession(session.sessionId);
  expect(usage.totals).toMatchObject(expectedUsageView(reference.total));
  expect(usage.model).toBe(reference.model);
  expect(usage.messages).toBe(reference.messages);
  expect(usage.steps).toBe(reference.steps);

  const expectedModels = reference.byModel.map((m) => ({
    model: m.model,
    messages: m.messages,
    steps: m.steps,
    ...expectedUsageView(m),
  }));
  expect([...usage.byModel].sort(byName)).toMatchObject([...expectedModels].sort(byName));
}
