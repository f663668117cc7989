/**
 * `wrangler deploy --dry-run` into a temporary folder: proves that the
 * bundle builds, prints its size, and leaves nothing behind.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";

const outDir = mkdtempSync(join(tmpdir(), "session-dry-run-"));
try {
  const result = spawnSync(
    "npx",
    ["wrangler", "deploy", "--dry-run", "--outdir", outDir],
    {
      stdio: "inherit",
      env: {
        ...process.env,
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_HIDE_BANNER: "true",
      },
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);

  for (const name of readdirSync(outDir).filter((file) => file.endsWith(".js"))) {
    const path = join(outDir, name);
    const gzipKiB = gzipSync(readFileSync(path)).byteLength / 1024;
    const sizeKiB = statSync(path).size / 1024;
    console.log(
      `bundle ${name}: ${sizeKiB.toFixed(1)} KiB (${gzipKiB.toFixed(1)} KiB gzip)`,
    );
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
