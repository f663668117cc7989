/**
 * `npm run bench`: runs the session service under `wrangler dev` on this
 * machine with the web app stand-in as the local receiver, measures ingest
 * against its floor, rows written, delivery latency and a thousand-session
 * run, prints a table and writes the same figures to
 * `bench-results/latest.json`.
 *
 * Storage goes under the system's temporary folder (TMPDIR): on a disk,
 * each committed write waits for the disk; on a tmpfs it does not.
 *
 * Exits non-zero only when the bench itself broke (a process did not
 * start, a request failed); a missed target is reported, not fatal.
 * @module
 */
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { deliveryAnomalies, logAnomalies } from "./anomalies.ts";
import { ArrivalIndex } from "./arrivals.ts";
import { describeError } from "./bench-error.ts";
import { WRANGLER_LOG_PATH, startEnvironment } from "./environment.ts";
import type { BenchEnvironment } from "./environment.ts";
import { measureFleet } from "./fleet.ts";
import { measureLatency } from "./latency.ts";
import type { BenchResults } from "./results.ts";
import { measureRowsWritten } from "./rows-written.ts";
import { createServiceClient } from "./service-client.ts";
import { describeStorage } from "./storage-location.ts";
import { renderReport } from "./table.ts";
import { checkTargets } from "./targets.ts";
import { measureThroughput } from "./throughput.ts";
import { LOCAL_DEV_FEATURES_OFF, WRANGLER_LOG_LEVEL } from "./wrangler-process.ts";

const REPO_ROOT = join(import.meta.dirname, "..", "..");
const RESULTS_PATH = join(REPO_ROOT, "bench-results", "latest.json");

const startedAtMs = Date.now();
const progress = (line: string) => {
  const elapsedS = ((Date.now() - startedAtMs) / 1000).toFixed(1).padStart(6);
  console.error(`[bench ${elapsedS} s] ${line}`);
};

const results: BenchResults = {
  startedAt: new Date(startedAtMs).toISOString(),
  durationMs: 0,
  machine: await describeMachine(),
  conditions: [
    "wrangler dev on 127.0.0.1, serving a bundle of src/ built at the start " +
      "(edits during the run do not reload it)",
    `local-only dev features off (${Object.keys(LOCAL_DEV_FEATURES_OFF).join(", ")}); ` +
      `wrangler --log-level ${WRANGLER_LOG_LEVEL}`,
    `fresh ${await describeStorage(tmpdir())}; the stand-in runs in this process`,
  ],
  throughput: [],
  rows: [],
  latency: null,
  fleet: null,
  targets: [],
  anomalies: [],
};

let environment: BenchEnvironment | undefined;
process.once("SIGINT", () => {
  console.error("\nInterrupted: stopping wrangler dev.");
  void (environment?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
});

try {
  environment = await startEnvironment(progress);
  progress(
    `service on ${environment.serviceUrl}, stand-in on ${environment.standIn.url}`,
  );
  await Promise.race([measureAll(environment), environment.crashed]);
} catch (error) {
  results.error = describeError(error);
  process.exitCode = 1;
} finally {
  progress("stopping wrangler dev");
  await environment?.stop();
}

if (environment) results.anomalies.push(...(await logAnomalies(WRANGLER_LOG_PATH)));
results.targets = checkTargets(results);
results.durationMs = Date.now() - startedAtMs;
results.machine.loadAverageAtEnd = loadAverage();
console.log(renderReport(results).join("\n"));
await writeFile(RESULTS_PATH, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nFigures written to ${RESULTS_PATH}; service log in ${WRANGLER_LOG_PATH}`);

/** Runs the measurements in order, filling `results` as each finishes. */
async function measureAll(env: BenchEnvironment): Promise<void> {
  const client = createServiceClient(env.serviceUrl, env.secrets);
  const runId = randomBytes(4).toString("hex");
  const arrivals = new ArrivalIndex(env.standIn);
  const callback = { standInUrl: env.standIn.url, internalSecret: env.secrets.internal };

  results.throughput = await measureThroughput(client, runId, progress);
  const rows = await measureRowsWritten(client, runId, progress);
  results.rows = rows.figures;
  results.anomalies.push(...rows.anomalies);

  results.latency = await measureLatency(client, arrivals, callback, { runId, progress });
  results.anomalies.push(...deliveryAnomalies("latency run", results.latency));

  results.fleet = await measureFleet(client, arrivals, callback, { runId, progress });
  results.anomalies.push(...deliveryAnomalies("1,000-session run", results.fleet));
}

async function describeMachine(): Promise<BenchResults["machine"]> {
  const packagePath = join(REPO_ROOT, "node_modules", "wrangler", "package.json");
  const wrangler = JSON.parse(await readFile(packagePath, "utf8")) as { version: string };
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? "unknown CPU",
    node: process.version,
    wrangler: wrangler.version,
    loadAverageAtStart: loadAverage(),
    loadAverageAtEnd: Number.NaN,
  };
}

function loadAverage(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}
