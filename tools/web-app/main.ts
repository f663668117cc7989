/**
 * Runs the web app stand-in alone, for debugging:
 *   npx node tools/web-app/main.ts [--port 8788] [--secret S] [--auto-create]
 * The port falls back to STAND_IN_PORT, then 8788; the secret to
 * INTERNAL_API_SECRET from the environment, then from `.dev.vars`.
 * @module
 */
import { parseArgs } from "node:util";
import { readDevVars } from "../dev-vars.ts";
import { startWebAppStandIn } from "./stand-in.ts";

const DEFAULT_PORT = 8788;

const { values: args } = parseArgs({
  options: {
    port: { type: "string" },
    secret: { type: "string" },
    "auto-create": { type: "boolean", default: false },
  },
});

const port = Number(args.port ?? process.env.STAND_IN_PORT ?? DEFAULT_PORT);
const secret =
  args.secret ?? process.env.INTERNAL_API_SECRET ?? readDevVars()?.INTERNAL_API_SECRET;
if (secret === undefined || secret === "") {
  console.error(
    "No secret: pass --secret, set INTERNAL_API_SECRET, or run npm start once.",
  );
  process.exit(1);
}

const standIn = await startWebAppStandIn({
  port,
  internalSecret: secret,
  autoCreateReviews: args["auto-create"],
  log: (line) => {
    console.log(line);
  },
});
console.log(`web app stand-in listening on ${standIn.url} (Ctrl-C stops it)`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void standIn.close().then(() => process.exit(0));
  });
}
