/**
 * `npm start`: the session service under `wrangler dev` plus the web app
 * stand-in it reports to, both on 127.0.0.1, until Ctrl-C.
 *
 * Environment: PORT (service, default 8787), STAND_IN_PORT (stand-in,
 * default 8788). Secrets come from `.dev.vars`, written on first run.
 * @module
 */
import { join } from "node:path";
import {
  DEFAULT_API_URL,
  DEV_VARS_PATH,
  ensureDevVars,
  requireDevVar,
} from "./dev-vars.ts";
import { signalGroup } from "./lib/process-group.ts";
import type { ProcessGroup } from "./lib/process-group.ts";
import { waitForHttp } from "./lib/wait-for-http.ts";
import { startWranglerDev } from "./start/wrangler-dev.ts";
import { startWebAppStandIn } from "./web-app/stand-in.ts";
import type { WebAppStandIn } from "./web-app/stand-in.ts";

const REPO_ROOT = join(import.meta.dirname, "..");
const DEFAULT_SERVICE_PORT = 8787;
const DEFAULT_STAND_IN_PORT = 8788;
/** A first run may compile and start workerd slowly on a cold cache. */
const READY_TIMEOUT_MS = 60_000;
const READY_POLL_INTERVAL_MS = 250;
/** How long wrangler may take to stop on SIGTERM before it is killed. */
const STOP_GRACE_MS = 5_000;

const servicePort = portFromEnv("PORT", DEFAULT_SERVICE_PORT);
const standInPort = portFromEnv("STAND_IN_PORT", DEFAULT_STAND_IN_PORT);
const standInUrl = `http://127.0.0.1:${standInPort}`;

const { vars, created } = ensureDevVars({ apiUrl: standInUrl });
if (created) console.log(`Wrote ${DEV_VARS_PATH} with fresh random secrets.`);
if (vars.API_URL !== standInUrl) {
  console.warn(
    `Warning: API_URL in .dev.vars is ${vars.API_URL ?? "(unset)"}, but the stand-in ` +
      `listens on ${standInUrl}; the service will not reach it. Default: ${DEFAULT_API_URL}.`,
  );
}

const standIn = await startStandIn(requireDevVar(vars, "INTERNAL_API_SECRET"));
const wrangler = startWranglerDev({ port: servicePort, cwd: REPO_ROOT });
let stopping = false;

process.once("SIGINT", () => void stopAll("SIGINT"));
process.once("SIGTERM", () => void stopAll("SIGTERM"));
// A crash of this script must not leave workerd running in the background.
process.once("exit", () => {
  signalGroup(wrangler.child, "SIGKILL");
});
void wrangler.exited.then(({ code, signal }) => onWranglerExit(code, signal));

await announceWhenReady(wrangler, standIn);

async function startStandIn(internalSecret: string): Promise<WebAppStandIn> {
  try {
    return await startWebAppStandIn({
      port: standInPort,
      internalSecret,
      autoCreateReviews: false,
      log: (line) => {
        console.log(`[web-app] ${line}`);
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(
      `Could not start the web app stand-in on ${standInUrl}: ${reason}. ` +
        "Is another `npm start` running? Set STAND_IN_PORT to use another port.",
    );
    process.exit(1);
  }
}

async function announceWhenReady(group: ProcessGroup, webApp: WebAppStandIn) {
  const serviceUrl = `http://127.0.0.1:${servicePort}`;
  const ready = await waitForHttp(`${serviceUrl}/health`, {
    timeoutMs: READY_TIMEOUT_MS,
    intervalMs: READY_POLL_INTERVAL_MS,
  });
  if (stopping || group.child.exitCode !== null) return;
  if (!ready) {
    console.warn(
      `The service did not answer on ${serviceUrl} within 60 s; still waiting.`,
    );
    return;
  }
  console.log(
    [
      "",
      "Ready:",
      `  session service (wrangler dev)  ${serviceUrl}`,
      `  web app stand-in                ${webApp.url}`,
      "Run `npm run demo` in another terminal. Ctrl-C stops both.",
      "",
    ].join("\n"),
  );
}

async function stopAll(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping wrangler dev and the web app stand-in...`);
  await wrangler.stop(STOP_GRACE_MS);
  await standIn.close();
  process.exit(0);
}

async function onWranglerExit(code: number | null, signal: NodeJS.Signals | null) {
  if (stopping) return;
  stopping = true;
  console.error(`wrangler dev exited (${signal ?? `code ${code ?? "?"}`}); stopping.`);
  // wrangler is gone, but workerd children of its group may linger.
  await wrangler.stop(0);
  await standIn.close();
  process.exit(code ?? 1);
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    console.error(`${name}=${raw} is not a port number.`);
    process.exit(1);
  }
  return port;
}
