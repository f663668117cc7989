/**
 * The environment for a `wrangler dev` that a tool or test starts: offline,
 * uncoloured, reading no secret from this process's environment, and with
 * wrangler's own logs and registry inside `dir`, so nothing is written
 * elsewhere.
 * @module
 */
import { join } from "node:path";

/** `process.env` adjusted for wrangler, plus `extra` last. */
export function wranglerEnv(
  dir: string,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Would select another environment's vars and `.dev.vars.<env>`.
  delete env.CLOUDFLARE_ENV;
  return {
    ...env,
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_HIDE_BANNER: "true",
    // Secrets come from the folder's own files, never from this environment.
    CLOUDFLARE_INCLUDE_PROCESS_ENV: "false",
    WRANGLER_LOG_PATH: join(dir, "logs"),
    WRANGLER_REGISTRY_PATH: join(dir, "registry"),
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    ...extra,
  };
}
