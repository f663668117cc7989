/** The admin command's arguments: `show <id>` or `resend <id> <what>`, and `--url`. */

export const DEFAULT_URL = "http://127.0.0.1:8787";
const RESEND_WHATS = ["usage", "callback", "all"] as const;

export type Command =
  | { name: "show"; sessionId: string; url: string }
  | {
      name: "resend";
      sessionId: string;
      what: (typeof RESEND_WHATS)[number];
      url: string;
    };

export const USAGE = `usage:
  npm run admin -- show <sessionId> [--url URL]
  npm run admin -- resend <sessionId> usage|callback|all [--url URL]

The admin secret comes from ADMIN_API_SECRET, else from .dev.vars.
--url defaults to ${DEFAULT_URL} (the local dev server).`;

/** A mistake in the command line; the message says what to type instead. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

function takeUrl(args: string[]): { url: string; rest: string[] } {
  const index = args.findIndex((arg) => arg === "--url" || arg.startsWith("--url="));
  if (index === -1) return { url: DEFAULT_URL, rest: args };

  const arg = args[index] ?? "";
  const value = arg.includes("=") ? arg.slice("--url=".length) : args[index + 1];
  if (!value || !URL.canParse(value)) throw new UsageError("--url needs an absolute URL");
  const width = arg.includes("=") ? 1 : 2;
  return { url: value.replace(/\/+$/, ""), rest: args.toSpliced(index, width) };
}

function isWhat(text: string | undefined): text is (typeof RESEND_WHATS)[number] {
  return RESEND_WHATS.includes(text as (typeof RESEND_WHATS)[number]);
}

/** Reads `argv` (without node and script). @throws UsageError */
export function parseArgs(argv: string[]): Command {
  const { url, rest } = takeUrl(argv);
  const [name, sessionId, what, ...extra] = rest;
  if (!sessionId) throw new UsageError("missing <sessionId>");
  if (name === "show" && what === undefined) return { name, sessionId, url };
  if (name === "resend" && isWhat(what) && extra.length === 0) {
    return { name, sessionId, what, url };
  }
  if (name === "resend") throw new UsageError("resend needs one of usage, callback, all");
  throw new UsageError(`unknown command ${name ?? ""}`.trim());
}
