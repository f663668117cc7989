/**
 * `npm run admin -- show|resend ...`: the operator's view of one session
 * and a manual re-send, over the service's admin routes.
 */
import { readDevVars } from "./dev-vars.ts";
import { USAGE, UsageError, parseArgs } from "./admin/args.ts";
import type { Command } from "./admin/args.ts";
import { AdminError, adminRequest } from "./admin/client.ts";
import type { AdminView } from "./admin/render.ts";
import { renderSession } from "./admin/render.ts";

function adminSecret(): string {
  const secret = process.env.ADMIN_API_SECRET || readDevVars()?.ADMIN_API_SECRET;
  if (!secret) {
    throw new AdminError(
      "no admin secret: set ADMIN_API_SECRET or run `npm start` once to create .dev.vars",
    );
  }
  return secret;
}

async function run(command: Command): Promise<string> {
  const secret = adminSecret();
  const base = `${command.url}/admin/sessions/${encodeURIComponent(command.sessionId)}`;
  if (command.name === "resend") {
    await adminRequest(`${base}/resend`, secret, {
      method: "POST",
      body: { what: command.what },
    });
  }
  const view = (await adminRequest(base, secret, { method: "GET" })) as AdminView;
  const note = command.name === "resend" ? `re-send of ${command.what} queued\n\n` : "";
  return note + renderSession(view);
}

try {
  console.log(await run(parseArgs(process.argv.slice(2))));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (error instanceof AdminError) {
    console.error(`admin: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
