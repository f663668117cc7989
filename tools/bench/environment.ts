/**
 * The bench's own world: the web app stand-in in this process and the
 * Worker under `wrangler dev`, each on a free port of 127.0.0.1, with a
 * fresh temporary folder for storage, build and config, and settings that
 * a developer's `.dev.vars` or environment cannot override.
 * @module
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../lib/free-port.ts";
import { signalGroup } from "../lib/process-group.ts";
import type { ProcessGroup } from "../lib/process-group.ts";
import { waitForHttp } from "../lib/wait-for-http.ts";
import { startWebAppStandIn } from "../web-app/stand-in.ts";
import type { WebAppStandIn } from "../web-app/stand-in.ts";
import { BenchError } from "./bench-error.ts";
import { bundleWorker, startWranglerDev } from "./wrangler-process.ts";
import type { RunFolder } from "./wrangler-process.ts";

const REPO_ROOT = join(import.meta.dirname, "..", "..");
/** wrangler's console goes here, for reading after a run; git-ignored. */
export const WRANGLER_LOG_PATH = join(REPO_ROOT, "bench-results", "wrangler-dev.log");

/** A cold start starts workerd and compiles the Worker; ~2 s when warm. */
const READY_TIMEOUT_MS = 60_000;
const READY_POLL_INTERVAL_MS = 200;
const STOP_GRACE_MS = 5_000;
const SECRET_BYTES = 24;

/** The secrets the service checks, fresh for each run. */
export interface BenchSecrets {
  internal: string;
  session: string;
  admin: string;
}

/** A running bench environment. */
export interface BenchEnvironment {
  serviceUrl: string;
  standIn: WebAppStandIn;
  secrets: BenchSecrets;
  /** Rejects if wrangler exits before `stop` is called. */
  crashed: Promise<never>;
  /** Stops everything and removes the temporary folder; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Bundles the Worker, starts the stand-in, then `wrangler dev`, and waits
 * until the Worker answers `/health`.
 * @throws BenchError when a step fails or wrangler is not ready in time
 */
export async function startEnvironment(
  progress: (line: string) => void,
): Promise<BenchEnvironment> {
  const secrets: BenchSecrets = {
    internal: randomSecret(),
    session: randomSecret(),
    admin: randomSecret(),
  };
  const folder = await createRunFolder();
  const cleanUp = async () => {
    await new Promise<void>((resolve) => folder.log.end(resolve));
    await rm(folder.dir, { recursive: true, force: true });
  };

  let standIn: WebAppStandIn | undefined;
  try {
    progress("bundling the Worker");
    const bundle = await bundleWorker(folder);
    standIn = await startWebAppStandIn({
      internalSecret: secrets.internal,
      autoCreateReviews: true,
    });
    const envFile = join(folder.dir, "bench.env");
    await writeFile(envFile, renderEnvFile(standIn.url, secrets), { mode: 0o600 });
    const [port, inspectorPort] = [await freePort(), await freePort()];
    progress("starting wrangler dev");
    const wrangler = await startWranglerDev(folder, {
      bundle,
      envFile,
      port,
      inspectorPort,
    });
    return await whenReady(wrangler, `http://127.0.0.1:${port}`, {
      standIn,
      secrets,
      cleanUp,
    });
  } catch (error) {
    await standIn?.close();
    await cleanUp();
    throw error;
  }
}

async function whenReady(
  wrangler: ProcessGroup,
  serviceUrl: string,
  parts: { standIn: WebAppStandIn; secrets: BenchSecrets; cleanUp: () => Promise<void> },
): Promise<BenchEnvironment> {
  let stopping = false;
  const crashed = new Promise<never>((_, reject) => {
    void wrangler.exited.then((exit) => {
      if (stopping) return;
      const how = exit.signal ?? `code ${exit.code ?? "?"}`;
      reject(new BenchError(`wrangler dev exited (${how}); see ${WRANGLER_LOG_PATH}`));
    });
  });
  // Raced against the measurements; never an unhandled rejection.
  crashed.catch(() => undefined);
  const killOnExit = () => {
    signalGroup(wrangler.child, "SIGKILL");
  };
  process.once("exit", killOnExit);
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopping = true;
    stopped ??= (async () => {
      await wrangler.stop(STOP_GRACE_MS);
      process.off("exit", killOnExit);
      await parts.standIn.close();
      await parts.cleanUp();
    })();
    return stopped;
  };

  try {
    const ready = await Promise.race([
      waitForHttp(`${serviceUrl}/health`, {
        timeoutMs: READY_TIMEOUT_MS,
        intervalMs: READY_POLL_INTERVAL_MS,
      }),
      crashed,
    ]);
    if (!ready) {
      throw new BenchError(
        `wrangler dev did not answer on ${serviceUrl} within ${READY_TIMEOUT_MS} ms; ` +
          `see ${WRANGLER_LOG_PATH}`,
      );
    }
  } catch (error) {
    stopping = true;
    await wrangler.stop(STOP_GRACE_MS);
    process.off("exit", killOnExit);
    throw error;
  }
  return { serviceUrl, standIn: parts.standIn, secrets: parts.secrets, crashed, stop };
}

async function createRunFolder(): Promise<RunFolder> {
  const dir = await mkdtemp(join(tmpdir(), "cloud-agent-bench-"));
  await mkdir(join(REPO_ROOT, "bench-results"), { recursive: true });
  return { dir, log: createWriteStream(WRANGLER_LOG_PATH) };
}

/**
 * Every setting the bench depends on. With `--env-file`, wrangler reads
 * this file and not `.dev.vars`, and its values win over `wrangler.toml`.
 */
function renderEnvFile(standInUrl: string, secrets: BenchSecrets): string {
  const settings: Record<string, string> = {
    API_URL: standInUrl,
    CALLBACK_ALLOWED_ORIGINS: standInUrl,
    ALLOW_INSECURE_CALLBACKS: "true",
    ENABLE_BENCH_ROUTES: "true",
    // The production gate: usage settles long before it expires.
    USAGE_GATE_MS: "60000",
    DELIVERY_TIMEOUT_MS: "10000",
    // Longer than the whole bench, so no session is ended for silence.
    STALE_AFTER_MS: "600000",
    INTERNAL_API_SECRET: secrets.internal,
    SESSION_API_SECRET: secrets.session,
    ADMIN_API_SECRET: secrets.admin,
  };
  const lines = Object.entries(settings).map(([name, value]) => `${name}=${value}`);
  return `${lines.join("\n")}\n`;
}

function randomSecret(): string {
  return randomBytes(SECRET_BYTES).toString("base64url");
}
