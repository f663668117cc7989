/**
 * Which file system the bench's storage lands on. Every committed write
 * waits for it to be durable, so an ext4 disk and a tmpfs give very
 * different ingest figures; the report says which one this run used.
 * @module
 */
import { readFile } from "node:fs/promises";

/** `path`'s mount point and file system type, from /proc/mounts. */
export async function describeStorage(path: string): Promise<string> {
  let mounts: string;
  try {
    mounts = await readFile("/proc/mounts", "utf8");
  } catch {
    return `storage under ${path} (file system unknown)`;
  }
  let best = { mountPoint: "", type: "unknown" };
  for (const line of mounts.split("\n")) {
    const [, mountPoint, type] = line.split(" ");
    if (mountPoint === undefined || type === undefined) continue;
    const covers =
      path === mountPoint || path.startsWith(mountPoint.replace(/\/?$/, "/"));
    if (covers && mountPoint.length >= best.mountPoint.length)
      best = { mountPoint, type };
  }
  return `storage under ${path}, a ${best.type} file system (set TMPDIR to move it)`;
}
