/**
 * `wrangler dev` for `npm start`: the session service on 127.0.0.1 with its
 * Durable Object storage persisted under `.wrangler/state`, fully offline.
 * @module
 */
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { spawnGroup } from "../lib/process-group.ts";
import type { ProcessGroup } from "../lib/process-group.ts";

/** Storage survives restarts here, so pending alarms do too. */
const PERSIST_DIR = ".wrangler/state";

/** Keeps wrangler from calling home; the machines reach only registries. */
const OFFLINE_ENV = {
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_HIDE_BANNER: "true",
} as const;

/** Starts `npx wrangler dev` in its own process group, output passed through. */
export function startWranglerDev(options: { port: number; cwd: string }): ProcessGroup {
  const args = ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(options.port)];
  const group = spawnGroup("npx", [...args, "--persist-to", PERSIST_DIR], {
    cwd: options.cwd,
    env: { ...process.env, ...OFFLINE_ENV },
    // No stdin: a background process group that reads the terminal would be
    // stopped by SIGTTIN, and wrangler's hotkeys are not needed here.
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (group.child.stdout) forwardLines(group.child.stdout, process.stdout);
  if (group.child.stderr) forwardLines(group.child.stderr, process.stderr);
  return group;
}

/**
 * Copies whole lines, so that wrangler's output and the stand-in's lines
 * never interleave mid-line. Lines pass unchanged (`✘ [ERROR]` included).
 */
function forwardLines(from: Readable, to: Writable): void {
  const lines = createInterface({ input: from, crlfDelay: Infinity });
  lines.on("line", (line) => {
    to.write(`${line}\n`);
  });
}
