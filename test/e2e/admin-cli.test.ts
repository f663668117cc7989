// `npm run admin` against a real `wrangler dev`: what an operator sees, and
// a clear failure with a non-zero exit for every way it can go wrong.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useRig } from "./harness/rig.ts";
import { completeEnvelope, reviewStream } from "./harness/review-stream.ts";
import { waitFor } from "./harness/wait-for.ts";

const rig = useRig();
const ADMIN = join(import.meta.dirname, "..", "..", "tools", "admin.ts");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function admin(args: string[], secret: string): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, ADMIN_API_SECRET: secret };
    execFile(process.execPath, [ADMIN, ...args], { env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function deliveredSession() {
  const session = await rig().openSession("admin");
  await session.send([...reviewStream(7).envelopes, completeEnvelope()]);
  await rig().waitForSettled(session.sessionId);
  return session;
}

describe("npm run admin", () => {
  it("shows a session's state, ledger and attempt log as tables", async () => {
    const session = await deliveredSession();

    const run = await admin(
      ["show", session.sessionId, "--url", rig().service.url],
      rig().secrets.admin,
    );

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`session         ${session.sessionId}`);
    expect(run.stdout).toMatch(/status\s+completed/);
    expect(run.stdout).toMatch(/^TOTAL\s+[\d,]+\s+[\d,]+/m);
    expect(run.stdout).toMatch(/^usage\s+delivered\s+1/m);
    expect(run.stdout).toMatch(/^callback\s+delivered\s+1/m);
    expect(run.stdout).toMatch(/\susage\s+1\s+200\s+-\s+\d+\s+delivered/);
  });

  it("re-sends usage, and the web app receives it again", async () => {
    const session = await deliveredSession();
    const usageCalls = () =>
      rig().standIn.requests.filter((r) => r.kind === "usage").length;
    expect(usageCalls()).toBe(1);

    const run = await admin(
      ["resend", session.sessionId, "usage", "--url", rig().service.url],
      rig().secrets.admin,
    );

    expect(run.code).toBe(0);
    expect(run.stdout).toContain("re-send of usage queued");
    await waitFor(() => usageCalls() === 2, 10_000, "the re-sent usage report");
  });

  it("exits 1 with a clear message for a wrong secret, never printing it", async () => {
    const session = await deliveredSession();

    const run = await admin(
      ["show", session.sessionId, "--url", rig().service.url],
      "wrong-secret",
    );

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/answered 401: unauthorized.*check ADMIN_API_SECRET/);
    expect(run.stdout + run.stderr).not.toContain("wrong-secret");
  });

  it("exits 1 for a session that does not exist", async () => {
    const run = await admin(
      ["show", "no-such-session", "--url", rig().service.url],
      rig().secrets.admin,
    );

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/answered 404: not_found/);
  });

  it("exits 1 when the service cannot be reached", async () => {
    const run = await admin(
      ["show", "any", "--url", "http://127.0.0.1:9"],
      rig().secrets.admin,
    );

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot reach .* \(is the service running\?\)/);
  });

  it("exits 2 with the usage for a malformed command", async () => {
    const run = await admin(
      ["resend", "some-session", "everything"],
      rig().secrets.admin,
    );

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/resend needs one of usage, callback, all/);
    expect(run.stderr).toContain("npm run admin -- show <sessionId>");
  });
});
