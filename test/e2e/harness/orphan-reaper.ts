/**
 * A watchdog run as its own small process beside each `wrangler dev` of the
 * suite: when the test process is gone before it stopped the group (Ctrl-C,
 * a runner that SIGKILLs its workers, a crash), it kills the group and
 * removes the suite's folder. It ends by itself once the group is gone.
 *
 * Usage: `node orphan-reaper.ts <ownerPid> <groupId> <dir>`
 * @module
 */
import { rmSync } from "node:fs";

/** How often the owner and the group are checked. */
const CHECK_INTERVAL_MS = 250;
/** A killed workerd may finish a last write; remove the folder after it. */
const SETTLE_AFTER_KILL_MS = 300;

const [ownerPid, groupId] = process.argv.slice(2, 4).map(Number);
const dir = process.argv[4];

/** Whether a process (or with a negative id, a process group) exists. */
function exists(id: number): boolean {
  try {
    process.kill(id, 0);
    return true;
  } catch (error) {
    return !(error instanceof Error && "code" in error && error.code === "ESRCH");
  }
}

function reap(group: number, folder: string): void {
  try {
    process.kill(-group, "SIGKILL");
  } catch {
    // Gone meanwhile: nothing to kill.
  }
  setTimeout(() => {
    rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
  }, SETTLE_AFTER_KILL_MS);
}

if (!ownerPid || !groupId || !dir) {
  console.error("usage: orphan-reaper.ts <ownerPid> <groupId> <dir>");
  process.exit(2);
}

const timer = setInterval(() => {
  if (!exists(-groupId)) {
    clearInterval(timer);
  } else if (!exists(ownerPid)) {
    clearInterval(timer);
    reap(groupId, dir);
  }
}, CHECK_INTERVAL_MS);
