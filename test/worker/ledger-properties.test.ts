/**
 * Property-based tests of the ledger (issue 5, "The ledger holds under any
 * stream"). Each run registers a fresh session, posts a generated stream in
 * batches of random size over HTTP, and compares `GET /sessions/:id` and the
 * usage report the web app receives with a reference computed in the test
 * from the definitions (helpers/usage-reference.ts), never from `src/ledger`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { complete } from "./helpers/envelopes.ts";
import {
  callbacksOf,
  expectLedgerMatches,
  expectedReport,
  finishAndDeliver,
  postBatches,
  reportsOf,
  sessionWith,
} from "./helpers/ledger-run.ts";
import { getSession, registerSession } from "./helpers/api.ts";
import { fireAlarm } from "./helpers/alarms.ts";
import type { ReferenceTotals } from "./helpers/usage-reference.ts";
import {
  hasUniqueTopModel,
  microOf,
  referenceHasUsage,
  referenceModelName,
  referenceTotals,
} from "./helpers/usage-reference.ts";
import type { GenMessage, TaggedEnvelope } from "./helpers/usage-stream.ts";
import {
  MODELS,
  batchSizesArb,
  batchesOf,
  insertAt,
  messagesArb,
  noiseArb,
  streamOf,
  tokensArb,
} from "./helpers/usage-stream.ts";
import { webApp } from "./helpers/web-app.ts";

/** Runs per property: each registers a session, so keep them modest. */
const NUM_RUNS = 50;
const TIMEOUT_MS = 60_000;

const envelopesOf = (tagged: readonly TaggedEnvelope[]) => tagged.map((t) => t.envelope);

/** The reference, with ties for the top model left to their own property. */
function referenceOf(messages: readonly GenMessage[]): ReferenceTotals {
  const reference = referenceTotals(messages);
  fc.pre(hasUniqueTopModel(reference));
  return reference;
}

/**
 * Posts `envelopes` to a fresh session, checks its ledger, then completes it
 * and checks the report the web app received.
 */
async function expectServiceMatches(
  web: ReturnType<typeof webApp>,
  envelopes: readonly unknown[],
  sizes: readonly number[],
  reference: ReferenceTotals,
  resend: readonly boolean[] = [],
) {
  const session = await sessionWith(batchesOf(envelopes, sizes), { resend });
  await expectLedgerMatches(session, reference);

  await finishAndDeliver(session);
  const expected = referenceHasUsage(reference) ? [expectedReport(reference)] : [];
  expect(reportsOf(web, session)).toEqual(expected);
}

/** Moves every step first, then the message copies newest first. */
function stepsFirstCopiesReversed(stream: readonly TaggedEnvelope[]) {
  const steps = stream.filter((t) => t.kind === "step");
  const copies = stream.filter((t) => t.kind === "copy").reverse();
  return [...steps, ...copies];
}

/** A stream and one reordering of it: any permutation, or an adversarial one. */
const reorderedArb = messagesArb.chain((messages) => {
  const stream = streamOf(messages);
  const n = stream.length;
  return fc.record({
    messages: fc.constant(messages),
    reordered: fc.oneof(
      {
        arbitrary: fc.shuffledSubarray(stream, { minLength: n, maxLength: n }),
        weight: 4,
      },
      { arbitrary: fc.constant([...stream].reverse()), weight: 1 },
      { arbitrary: fc.constant(stepsFirstCopiesReversed(stream)), weight: 1 },
    ),
  });
});

describe("the ledger under any stream", () => {
  it(
    "matches the reference for the stream as the agent sends it",
    async () => {
      const web = webApp();
      await fc.assert(
        fc.asyncProperty(messagesArb, batchSizesArb, async (messages, sizes) => {
          const reference = referenceOf(messages);
          await expectServiceMatches(
            web,
            envelopesOf(streamOf(messages)),
            sizes,
            reference,
          );
        }),
        { numRuns: NUM_RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    "is unchanged by repeated envelopes and re-sent batches",
    async () => {
      const web = webApp();
      const repeats = fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 });
      const resends = fc.array(fc.boolean(), { minLength: 1, maxLength: 10 });
      await fc.assert(
        fc.asyncProperty(
          messagesArb,
          repeats,
          resends,
          batchSizesArb,
          async (messages, picks, resend, sizes) => {
            const reference = referenceOf(messages);
            const stream = envelopesOf(streamOf(messages));
            const copies = picks.map(([from, at]): [unknown, number] => [
              stream[from % stream.length],
              at,
            ]);
            const repeated = insertAt(stream, copies);
            await expectServiceMatches(web, repeated, sizes, reference, resend);
          },
        ),
        { numRuns: NUM_RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    "is unchanged by any reordering, steps before their messages included",
    async () => {
      const web = webApp();
      await fc.assert(
        fc.asyncProperty(
          reorderedArb,
          batchSizesArb,
          async ({ messages, reordered }, sizes) => {
            const reference = referenceOf(messages);
            await expectServiceMatches(web, envelopesOf(reordered), sizes, reference);
          },
        ),
        { numRuns: NUM_RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    "is unchanged by noise between the usage events",
    async () => {
      const web = webApp();
      const noise = fc.array(fc.tuple(noiseArb, fc.nat()), {
        minLength: 1,
        maxLength: 40,
      });
      await fc.assert(
        fc.asyncProperty(
          messagesArb,
          noise,
          batchSizesArb,
          async (messages, extra, sizes) => {
            const reference = referenceOf(messages);
            const mixed = insertAt(envelopesOf(streamOf(messages)), extra);
            await expectServiceMatches(web, mixed, sizes, reference);
          },
        ),
        { numRuns: NUM_RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    "reports the reference last under all of it, completion and deliveries anywhere",
    async () => {
      const web = webApp();
      const arb = fc.record({
        stream: reorderedArb,
        repeats: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }),
        noise: fc.array(fc.tuple(noiseArb, fc.nat()), { maxLength: 20 }),
        completeAt: fc.nat(),
        resend: fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
        fireAlarmAfter: fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
        sizes: batchSizesArb,
      });
      await fc.assert(
        fc.asyncProperty(arb, async (run) => {
          const reference = referenceOf(run.stream.messages);
          const stream = envelopesOf(run.stream.reordered);
          const picks = run.repeats.map(([from, at]): [unknown, number] => [
            stream[from % stream.length],
            at,
          ]);
          const all = insertAt(stream, [
            ...picks,
            ...run.noise,
            [complete(0, "main"), run.completeAt],
          ]);
          const plan = { resend: run.resend, fireAlarmAfter: run.fireAlarmAfter };
          const session = await sessionWith(batchesOf(all, run.sizes), plan);
          await expectLedgerMatches(session, reference);

          await fireAlarm(session.sessionId);
          const reports = reportsOf(web, session);
          if (referenceHasUsage(reference)) {
            expect(reports.at(-1)).toEqual(expectedReport(reference));
          } else {
            expect(reports).toEqual([]);
          }
          expect(callbacksOf(web, session)).toHaveLength(1);
        }),
        { numRuns: NUM_RUNS },
      );
    },
    TIMEOUT_MS,
  );
});

/** Messages of one model whose steps cost `costs` (a few tokens each), with parts. */
function tinyCostMessages(costs: readonly number[], messageCount: number): GenMessage[] {
  const perMessage = Math.ceil(costs.length / messageCount);
  const messages: GenMessage[] = [];
  for (let m = 0; m * perMessage < costs.length; m++) {
    const slice = costs.slice(m * perMessage, (m + 1) * perMessage);
    messages.push({
      id: `msg_${m}`,
      agentSession: m === 0 ? "ses_root" : "ses_sub_a",
      model: MODELS[0] as Model,
      createdMs: 1_700_000_000_000 + m,
      withParts: true,
      finished: true,
      steps: slice.map((costUsd, s) => ({
        id: `prt_${m}_${s}`,
        costUsd,
        tokens: { input: 3, output: 1, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
      })),
    });
  }
  return messages;
}

/** Sums costs the naive way: floats, rounded once at the end. */
function floatSumMicroUsd(costs: readonly number[]): number {
  return Math.round(costs.reduce((sum, c) => sum + c, 0) * 1e6);
}

describe("thousands of tiny costs", () => {
  const BIG_BATCH = [1_000];

  it(
    "never drift by a microdollar from the exact sum",
    async () => {
      const web = webApp();
      const costs = fc.oneof(
        fc
          .tuple(
            fc.constantFrom(1.23e-7, 1e-7, 3e-7, 4.99e-7, 7e-7),
            fc.nat({ max: 1_200 }),
          )
          .map(([cost, extra]) => Array.from({ length: 2_000 + extra }, () => cost)),
        fc.array(fc.double({ min: 0, max: 1e-6, noNaN: true }), {
          minLength: 2_000,
          maxLength: 3_200,
        }),
      );
      await fc.assert(
        fc.asyncProperty(costs, fc.integer({ min: 1, max: 4 }), async (list, count) => {
          const messages = tinyCostMessages(list, count);
          const reference = referenceTotals(messages);
          const envelopes = envelopesOf(streamOf(messages));
          await expectServiceMatches(web, envelopes, BIG_BATCH, reference);
        }),
        { numRuns: 6 },
      );
    },
    TIMEOUT_MS,
  );

  it("sums 3,000 steps of $0.000000123 to exactly $0.000369", async () => {
    const web = webApp();
    const messages = tinyCostMessages(Array<number>(3_000).fill(1.23e-7), 3);
    const session = await sessionWith(
      batchesOf(envelopesOf(streamOf(messages)), BIG_BATCH),
    );

    await finishAndDeliver(session);

    expect(reportsOf(web, session)[0]?.totalCost).toBe(0.000369);
  });

  it("rounds 3,005 steps of $0.0000003 to $0.000902 where a float sum says $0.000901", async () => {
    const web = webApp();
    const costs = Array<number>(3_005).fill(3e-7);
    const messages = tinyCostMessages(costs, 2);
    const session = await sessionWith(
      batchesOf(envelopesOf(streamOf(messages)), BIG_BATCH),
    );

    await finishAndDeliver(session);

    expect(floatSumMicroUsd(costs)).toBe(901);
    expect(microOf(referenceTotals(messages).total.costNanoUsd)).toBe(902n);
    expect(reportsOf(web, session)[0]?.totalCost).toBe(0.000902);
  });
});

type Model = (typeof MODELS)[number];

/*
 * Two models whose messages hold the same tokens, their envelopes in any
 * order. MODELS[0] and MODELS[1] name one model, so the pair comes from the
 * rest.
 */
const tiedArb = fc
  .record({
    pair: fc.uniqueArray(fc.constantFrom(...MODELS.slice(1)), {
      minLength: 2,
      maxLength: 2,
    }),
    steps: fc.array(tokensArb, { minLength: 1, maxLength: 3 }),
  })
  .chain(({ pair, steps }) => {
    const messages = pair.map((model: Model, m): GenMessage => ({
      id: `msg_${m}`,
      agentSession: "ses_root",
      model,
      createdMs: 1_700_000_000_000 + m * 1_000,
      withParts: true,
      finished: true,
      steps: steps.map((tokens, s) => ({ id: `prt_${m}_${s}`, tokens, costUsd: 0.01 })),
    }));
    const stream = envelopesOf(streamOf(messages));
    const n = stream.length;
    return fc.record({
      newest: fc.constant(referenceModelName(pair[1] as Model)),
      envelopes: fc.shuffledSubarray(stream, { minLength: n, maxLength: n }),
    });
  });

describe("the model on a tie", () => {
  /*
   * "On a tie, the one seen last": for the answer not to depend on arrival
   * order, the README reads "last" as the model whose latest message was
   * created last (`time.created`, which every copy carries).
   */
  it(
    "is the model of the newest message, whatever the order",
    async () => {
      await fc.assert(
        fc.asyncProperty(tiedArb, batchSizesArb, async ({ newest, envelopes }, sizes) => {
          const session = await registerSession();
          await postBatches(session, batchesOf(envelopes, sizes));

          expect((await getSession(session.sessionId)).usage.model).toBe(newest);
        }),
        { numRuns: 25 },
      );
    },
    TIMEOUT_MS,
  );
});
