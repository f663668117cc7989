/**
 * `wrangler dev` as the end-to-end suite runs it: the real Worker in workerd
 * on 127.0.0.1, in a process group of its own, with everything wrangler
 * reads and writes inside one folder that the suite owns.
 *
 * Wrangler reads `.dev.vars` beside its config file and writes its build
 * output under `.wrangler/` beside it too. So the suite runs it on a copy of
 * `wrangler.toml` in its own folder, with the entry point given on the
 * command line: a developer's `.dev.vars` never leaks into a run, and
 * nothing is left in the repository.
 * @module
 */
import { spawn } from "node:child_process";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { signalGroup, spawnGroup } from "../../../tools/lib/process-group.ts";
import type { ExitInfo, ProcessGroup } from "../../../tools/lib/process-group.ts";
import { answersHttp } from "../../../tools/lib/wait-for-http.ts";
import { freePort } from "../../../tools/lib/free-port.ts";
import { wranglerEnv } from "../../../tools/lib/wrangler-env.ts";
import { waitFor } from "./wait-for.ts";

const REPO_ROOT = join(import.meta.dirname, "..", "..", "..");
const WRANGLER_BIN = join(REPO_ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const ENTRY_POINT = join(REPO_ROOT, "src", "index.ts");
const CONFIG_FILE = join(REPO_ROOT, "wrangler.toml");
const REAPER_SCRIPT = join(import.meta.dirname, "orphan-reaper.ts");

/** A cold start compiles the Worker and starts workerd; 2-5 s is usual. */
const READY_TIMEOUT_MS = 60_000;
/** How long wrangler may take to stop on SIGTERM before the group is killed. */
const STOP_GRACE_MS = 5_000;
/** Lines of output quoted when wrangler exits before it is ready. */
const QUOTED_LINES = 40;

/** How to run one service. */
export interface WranglerDevOptions {
  /** The suite's folder for this service; a restart reuses it, storage included. */
  dir: string;
  port: number;
  /** Plain vars, passed with `--var`: they win over the config's defaults. */
  vars: Readonly<Record<string, string>>;
  /** Written to the `.dev.vars` of `dir`, the only one wrangler reads. */
  secrets: Readonly<Record<string, string>>;
}

/** A running `wrangler dev`. */
export interface WranglerDev {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Its console so far, one entry a line, the service's JSON logs among them. */
  output: readonly string[];
  /** SIGTERM to the group, SIGKILL after a grace period. */
  stop(): Promise<void>;
  /** SIGKILL to the whole group at once: a crash, storage left as it was. */
  kill(): Promise<void>;
}

/**
 * Starts `wrangler dev` and resolves once the Worker answers `/health`.
 * @throws Error with wrangler's last output when it exits first or times out;
 * the process group is stopped before.
 */
export async function startWranglerDev(
  options: WranglerDevOptions,
): Promise<WranglerDev> {
  await prepareDir(options.dir, options.secrets);
  const args = wranglerArgs(options, await freePort());
  const group = spawnGroup(process.execPath, args, {
    cwd: options.dir,
    env: wranglerEnv(options.dir),
    stdio: ["ignore", "pipe", "pipe"],
  });
  watchForOrphaning(group, options.dir);

  const output: string[] = [];
  for (const stream of [group.child.stdout, group.child.stderr]) {
    if (stream) collectLines(stream, output);
  }
  const service = serviceHandle(group, options.port, output);
  try {
    await waitUntilReady(service.url, group, output);
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}

async function prepareDir(dir: string, secrets: WranglerDevOptions["secrets"]) {
  await mkdir(join(dir, "state"), { recursive: true });
  await copyFile(CONFIG_FILE, join(dir, "wrangler.toml"));
  const lines = Object.entries(secrets).map(([name, value]) => `${name}=${value}`);
  await writeFile(join(dir, ".dev.vars"), `${lines.join("\n")}\n`, { mode: 0o600 });
}

function wranglerArgs(options: WranglerDevOptions, inspectorPort: number): string[] {
  const vars = Object.entries(options.vars).flatMap(([name, value]) => [
    "--var",
    `${name}:${value}`,
  ]);
  return [
    WRANGLER_BIN,
    "dev",
    ENTRY_POINT,
    ...["--config", join(options.dir, "wrangler.toml")],
    ...["--ip", "127.0.0.1", "--port", String(options.port)],
    ...["--inspector-port", String(inspectorPort)],
    ...["--persist-to", join(options.dir, "state")],
    "--show-interactive-dev-session=false",
    ...vars,
  ];
}

/**
 * Starts the reaper that kills the group and removes `dir` should this test
 * process end without stopping it. It is detached, so that it outlives us,
 * and ends by itself once the group is gone.
 */
function watchForOrphaning(group: ProcessGroup, dir: string): void {
  if (group.child.pid === undefined) return;
  const groupId = String(group.child.pid);
  const args = [REAPER_SCRIPT, String(process.pid), groupId, dir];
  const reaper = spawn(process.execPath, args, { detached: true, stdio: "ignore" });
  reaper.unref();
}

function serviceHandle(group: ProcessGroup, port: number, output: string[]): WranglerDev {
  return {
    url: `http://127.0.0.1:${port}`,
    output,
    stop: async () => {
      await group.stop(STOP_GRACE_MS);
    },
    kill: async () => {
      signalGroup(group.child, "SIGKILL");
      await group.exited;
    },
  };
}

async function waitUntilReady(url: string, group: ProcessGroup, output: string[]) {
  let exit: ExitInfo | undefined;
  void group.exited.then((info) => {
    exit = info;
  });
  const quote = () => output.slice(-QUOTED_LINES).join("\n");
  try {
    await waitFor(
      async () => {
        if (exit) {
          const how = exit.signal ?? `code ${exit.code ?? "?"}`;
          throw new Error(
            `wrangler dev exited (${how}) before it was ready:\n${quote()}`,
          );
        }
        return answersHttp(`${url}/health`);
      },
      READY_TIMEOUT_MS,
      `wrangler dev to answer ${url}/health`,
    );
  } catch (error) {
    if (exit || !(error instanceof Error)) throw error;
    throw new Error(`${error.message}\n${quote()}`, { cause: error });
  }
}

/** Appends each line of `from` to `lines`, without terminal colour codes. */
function collectLines(from: Readable, lines: string[]): void {
  const reader = createInterface({ input: from, crlfDelay: Infinity });
  reader.on("line", (line) => {
    lines.push(line.replace(/\u001b\[[0-9;]*m/g, ""));
  });
}
