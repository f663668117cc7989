/**
 * `npm run demo` (with `npm start` running): replays the recorded review
 * into the session service and shows what the web app got out of it: the
 * footer on the pull request, the ledger by model and token class, and
 * checks against the fixture's answer key. Exits non-zero on any failure.
 *
 * Environment: PORT (service port, default 8787); the stand-in's address
 * is API_URL from `.dev.vars`, where the service sends its reports.
 * @module
 */
import { DEV_VARS_PATH, readDevVars, requireDevVar } from "./dev-vars.ts";
import { runChecks } from "./demo/checks.ts";
import { readExpectedOutcome, readFixtureLines } from "./demo/fixture-files.ts";
import type { ExpectedOutcome } from "./demo/fixture-files.ts";
import { DemoError } from "./demo/http-json.ts";
import { getSession, postEvents, registerSession } from "./demo/service-client.ts";
import type { ServiceTarget } from "./demo/service-client.ts";
import { readSessionSummary } from "./demo/session-view.ts";
import type { DeliverySummary } from "./demo/session-view.ts";
import {
  callsForReview,
  createReview,
  waitForTerminalReview,
} from "./demo/stand-in-client.ts";
import { renderUsageTable } from "./demo/usage-table.ts";
import { answersHttp } from "./lib/wait-for-http.ts";

const DEFAULT_SERVICE_PORT = 8787;
/** Well under the service's 1,000-event cap per request. */
const ENVELOPES_PER_BATCH = 100;
/*
 * Longer than the default USAGE_GATE_MS (60 s): if usage cannot be
 * delivered, the callback still arrives once the gate expires.
 */
const REVIEW_TIMEOUT_MS = 75_000;
const REVIEW_POLL_INTERVAL_MS = 250;

try {
  await runDemo();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`\n✗ ${message}`);
  if (!(error instanceof DemoError) && error instanceof Error) console.error(error.stack);
  process.exit(1);
}

async function runDemo(): Promise<void> {
  const vars = readDevVars();
  if (vars === undefined) {
    throw new DemoError(`${DEV_VARS_PATH} not found: run \`npm start\` first.`);
  }
  const service: ServiceTarget = {
    baseUrl: `http://127.0.0.1:${process.env.PORT ?? DEFAULT_SERVICE_PORT}`,
    sessionSecret: requireDevVar(vars, "SESSION_API_SECRET"),
  };
  const standInUrl = requireDevVar(vars, "API_URL").replace(/\/+$/, "");
  await checkUp(service.baseUrl, standInUrl);

  const runId = `demo-${Date.now().toString()}`;
  const reviewId = `${runId}-review`;
  const sessionId = `${runId}-session`;
  await createReview(standInUrl, reviewId);
  console.log(`1. Created review ${reviewId} on the web app stand-in.`);

  const expected = readExpectedOutcome();
  const callbackUrl = `${standInUrl}/api/internal/code-review-status/${reviewId}`;
  const ingestToken = await registerSession(service, sessionId, {
    reviewId,
    executionId: expected.executionId,
    kiloSessionId: expected.kiloSessionId,
    callbackTarget: {
      url: callbackUrl,
      headers: { "X-Internal-Secret": requireDevVar(vars, "INTERNAL_API_SECRET") },
    },
  });
  console.log(`2. Registered session ${sessionId}, callback to ${callbackUrl}.`);

  await replay(service, sessionId, ingestToken);
  await report(service, { sessionId, reviewId, standInUrl, expected });
}

async function checkUp(serviceUrl: string, standInUrl: string): Promise<void> {
  if (!(await answersHttp(`${serviceUrl}/health`))) {
    throw new DemoError(
      `The session service does not answer on ${serviceUrl}: run \`npm start\` ` +
        "in another terminal and wait for its Ready line.",
    );
  }
  if (!(await answersHttp(`${standInUrl}/_stand-in/requests`))) {
    throw new DemoError(
      `The web app stand-in does not answer on ${standInUrl} (API_URL in .dev.vars): ` +
        "is `npm start` running, and on that port?",
    );
  }
  console.log(`Session service ${serviceUrl} and web app stand-in ${standInUrl} are up.`);
}

async function replay(service: ServiceTarget, sessionId: string, ingestToken: string) {
  const lines = readFixtureLines();
  let accepted = 0;
  let ignored = 0;
  for (let start = 0; start < lines.length; start += ENVELOPES_PER_BATCH) {
    const batch = lines.slice(start, start + ENVELOPES_PER_BATCH);
    const counts = await postEvents(
      service,
      sessionId,
      ingestToken,
      `${batch.join("\n")}\n`,
    );
    accepted += counts.accepted;
    ignored += counts.ignored;
  }
  const batches = Math.ceil(lines.length / ENVELOPES_PER_BATCH);
  console.log(
    `3. Replayed ${lines.length} envelopes in ${batches} NDJSON batches: ` +
      `${accepted} accepted, ${ignored} ignored.`,
  );
}

interface ReplayRun {
  sessionId: string;
  reviewId: string;
  standInUrl: string;
  expected: ExpectedOutcome;
}

async function report(service: ServiceTarget, run: ReplayRun) {
  const { sessionId, reviewId, standInUrl } = run;
  const startedMs = Date.now();
  const review = await waitForTerminalReview(standInUrl, reviewId, {
    timeoutMs: REVIEW_TIMEOUT_MS,
    intervalMs: REVIEW_POLL_INTERVAL_MS,
  });
  const waitedS = ((Date.now() - startedMs) / 1000).toFixed(1);
  console.log(`4. The web app marked the review ${review.status} after ${waitedS} s.`);

  const session = readSessionSummary(await getSession(service, sessionId));
  const calls = await callsForReview(standInUrl, reviewId);
  const footer = review.footer ?? "(none: the web app rendered no usage footer)";
  console.log(`\nFooter on the pull request:\n  ${footer}`);
  console.log("\nLedger by model and token class:");
  for (const line of renderUsageTable(session.byModel, session.total))
    console.log(`  ${line}`);
  console.log(
    `\nDeliveries: usage ${describeDelivery(session.deliveries.usage)}; ` +
      `callback ${describeDelivery(session.deliveries.callback)}.`,
  );

  const checks = runChecks(run.expected, review, session, calls);
  console.log("\nChecks against test/fixtures/review-session.expected.json:");
  for (const check of checks) console.log(`  ${check.ok ? "✓" : "✗"} ${check.label}`);
  const failed = checks.filter((check) => !check.ok).length;
  if (failed > 0) throw new DemoError(`${failed} of ${checks.length} checks failed.`);
  console.log("\nAll checks passed.");
}

function describeDelivery(delivery: DeliverySummary | null): string {
  if (delivery === null) return "none";
  const attempts = `${delivery.attempts} attempt${delivery.attempts === 1 ? "" : "s"}`;
  const status = delivery.lastStatus === null ? "" : `, last HTTP ${delivery.lastStatus}`;
  return `${delivery.state} (${attempts}${status})`;
}
