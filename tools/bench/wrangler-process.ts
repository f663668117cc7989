/**
 * `wrangler` as the bench runs it: on Node 24 directly (no npx chain),
 * offline, with everything it reads and writes in the bench's temporary
 * folder, and its console appended to one log file.
 *
 * The Worker is bundled once into that folder and served from there with
 * `--no-bundle`, on a copy of `wrangler.toml`: wrangler watches what it
 * serves and hot-reloads on any change, which cuts every request in
 * flight, so an edit to `src/` during a run must not reach it.
 * @module
 */
import { copyFile, writeFile } from "node:fs/promises";
import type { WriteStream } from "node:fs";
import { join } from "node:path";
import { spawnGroup } from "../lib/process-group.ts";
import { wranglerEnv } from "../lib/wrangler-env.ts";
import type { ProcessGroup } from "../lib/process-group.ts";
import { BenchError } from "./bench-error.ts";

const REPO_ROOT = join(import.meta.dirname, "..", "..");
const WRANGLER_BIN = join(REPO_ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const ENTRY_POINT = join(REPO_ROOT, "src", "index.ts");

/**
 * Local-only features of `wrangler dev` that add work to every request on
 * this machine's two cores and have no counterpart in the deployed request
 * path: the local trace collector and the local data explorer. They cost
 * the floor and ingest alike, so leaving them on would flatten the ratios.
 */
export const LOCAL_DEV_FEATURES_OFF = {
  X_LOCAL_OBSERVABILITY: "false",
  X_LOCAL_EXPLORER: "false",
} as const;

/**
 * wrangler's console level: warnings and errors only. Each request's log
 * line costs CPU in wrangler's own process; the service's `console.error`
 * events (`*.failed`, `*.gave_up`, `*.error`) still appear.
 */
export const WRANGLER_LOG_LEVEL = "warn";

/** What the bench's wrangler needs beyond the shared offline environment. */
const BENCH_ENV = {
  CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV: "true",
  ...LOCAL_DEV_FEATURES_OFF,
};

/** Where one run keeps its files. */
export interface RunFolder {
  dir: string;
  log: WriteStream;
}

/** The Worker bundled into `folder/dist/index.js`, as `wrangler deploy` builds it. */
export async function bundleWorker(folder: RunFolder): Promise<string> {
  await copyFile(join(REPO_ROOT, "wrangler.toml"), join(folder.dir, "wrangler.toml"));
  const outDir = join(folder.dir, "dist");
  const args = ["deploy", ENTRY_POINT, "--dry-run", "--outdir", outDir];
  const build = runWrangler(folder, args);
  const exit = await build.exited;
  if (exit.code !== 0) {
    throw new BenchError(
      `bundling the Worker failed (${exit.signal ?? `code ${exit.code ?? "?"}`}); ` +
        `see ${folder.log.path.toString()}`,
    );
  }
  return join(outDir, "index.js");
}

/** Starts `wrangler dev` serving `bundle` with the settings of `envFile`. */
export async function startWranglerDev(
  folder: RunFolder,
  options: { bundle: string; envFile: string; port: number; inspectorPort: number },
): Promise<ProcessGroup> {
  // An empty .dev.vars beside the config copy; --env-file skips it anyway.
  await writeFile(join(folder.dir, ".dev.vars"), "", { mode: 0o600 });
  return runWrangler(folder, [
    ...["dev", options.bundle, "--no-bundle"],
    ...["--ip", "127.0.0.1", "--port", String(options.port)],
    ...["--inspector-port", String(options.inspectorPort)],
    ...["--persist-to", join(folder.dir, "state")],
    // Only this file: values in it win over wrangler.toml's vars.
    ...["--env-file", options.envFile],
    ...["--log-level", WRANGLER_LOG_LEVEL],
    "--show-interactive-dev-session=false",
  ]);
}

function runWrangler(folder: RunFolder, args: readonly string[]): ProcessGroup {
  const group = spawnGroup(
    process.execPath,
    [WRANGLER_BIN, ...args, "--config", join(folder.dir, "wrangler.toml")],
    {
      cwd: folder.dir,
      env: wranglerEnv(folder.dir, BENCH_ENV),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  group.child.stdout?.pipe(folder.log, { end: false });
  group.child.stderr?.pipe(folder.log, { end: false });
  return group;
}
