/**
 * Child processes in their own process group. `npx wrangler dev` starts a
 * chain (npm, node, workerd); signalling only the first would orphan the
 * rest, so the whole group is signalled.
 * @module
 */
import { spawn } from "node:child_process";
import type { ChildProcess, SpawnOptions } from "node:child_process";

/** How a process ended: an exit code, or the signal that ended it. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running process group led by `child`. */
export interface ProcessGroup {
  child: ChildProcess;
  /** Settles when the group leader exits, however it ends. */
  exited: Promise<ExitInfo>;
  /**
   * Sends SIGTERM to the group, then SIGKILL after `graceMs` if the leader
   * is still running, then SIGKILL once more to reap stragglers.
   */
  stop(graceMs: number): Promise<ExitInfo>;
}

/** Spawns `command` as the leader of a new process group. */
export function spawnGroup(
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, "detached">,
): ProcessGroup {
  const child = spawn(command, args, { ...options, detached: true });
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once("exit", (code, signal) => {
      resolve({ code, signal });
    });
  });
  return { child, exited, stop: (graceMs) => stopGroup(child, exited, graceMs) };
}

/** Signals every process of the group; a group that is gone is ignored. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // A negative pid addresses the process group that the leader heads.
    process.kill(-child.pid, signal);
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ESRCH"))
      throw error;
  }
}

async function stopGroup(
  child: ChildProcess,
  exited: Promise<ExitInfo>,
  graceMs: number,
): Promise<ExitInfo> {
  signalGroup(child, "SIGTERM");
  const timer = setTimeout(() => {
    signalGroup(child, "SIGKILL");
  }, graceMs);
  const exit = await exited;
  clearTimeout(timer);
  signalGroup(child, "SIGKILL");
  return exit;
}
