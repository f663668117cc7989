/**
 * Recording everything the service says, to look for secrets in it: every
 * console line (the Durable Object runs in the test's isolate, so its logs
 * reach these spies) and every answer to a call made through the recorder.
 */
import { exports } from "cloudflare:workers";
import { vi } from "vitest";
import type { CallOptions } from "./api.ts";
import { INTERNAL_SECRET, SESSION_SECRET, ADMIN_SECRET, call } from "./api.ts";
import { deriveIngestToken } from "./ingest-token.ts";

/** One call and its answer. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  text: string;
  /** A secret this answer carries by design (a registration's own ingest token). */
  allowed?: string;
}

const CONSOLE_METHODS = ["log", "error", "warn", "info", "debug"] as const;

function describeArg(arg: unknown): string {
  if (typeof arg === "string") return arg;
  if (arg instanceof Error) return `${arg.name}: ${arg.message}\n${arg.stack ?? ""}`;
  try {
    return JSON.stringify(arg) ?? String(arg);
  } catch {
    return String(arg);
  }
}

/*
 * A part of a secret this long is a leak too (a prefix in an error message,
 * say). Every tracked value is longer, and none shares such a run with the
 * service's own words.
 */
const LEAK_WINDOW = 10;

/** Where in `text` some `LEAK_WINDOW`-long part of `value` starts, or -1. */
function firstWindowAt(text: string, value: string): number {
  const size = Math.min(LEAK_WINDOW, value.length);
  for (let start = 0; start + size <= value.length; start++) {
    const at = text.indexOf(value.slice(start, start + size));
    if (at >= 0) return at;
  }
  return -1;
}

/** Where a secret was found. */
export interface Leak {
  secret: string;
  where: string;
  excerpt: string;
}

export class LeakRecorder {
  /** Every console line, its arguments joined by a space. */
  readonly lines: string[] = [];
  readonly exchanges: Exchange[] = [];
  /** WebSocket frames and other answers that did not come through `call`. */
  readonly frames: string[] = [];
  private readonly secrets = new Map<string, string>([
    [INTERNAL_SECRET, "INTERNAL_API_SECRET"],
    [SESSION_SECRET, "SESSION_API_SECRET"],
    [ADMIN_SECRET, "ADMIN_API_SECRET"],
  ]);

  /** Starts capturing console output; `vi.restoreAllMocks()` ends it. */
  start(): this {
    for (const method of CONSOLE_METHODS) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        this.lines.push(args.map(describeArg).join(" "));
      });
    }
    return this;
  }

  /** Adds a value that must appear nowhere. */
  track(label: string, value: string): void {
    this.secrets.set(value, label);
  }

  /** Tracks the ingest token of `sessionId`, derived from its formula. */
  async trackSession(sessionId: string): Promise<string> {
    const token = await deriveIngestToken(SESSION_SECRET, sessionId);
    this.track(`ingest token of ${sessionId}`, token);
    return token;
  }

  /** Calls the Worker and records the answer. */
  async call(method: string, path: string, options: CallOptions = {}) {
    const response = await call(method, path, options);
    const text = await response.text();
    this.exchanges.push({ method, path, status: response.status, text });
    return { status: response.status, text };
  }

  /** Sends a request built by hand (odd headers) and records the answer. */
  async fetch(method: string, path: string, headers: Record<string, string>) {
    const request = new Request(`https://session.test${path}`, { method, headers });
    const response = await exports.default.fetch(request);
    const text = await response.text();
    this.exchanges.push({ method, path, status: response.status, text });
    return { status: response.status, text };
  }

  /** Registers `sessionId`; its own token may appear in this one answer. */
  async register(sessionId: string, body: unknown) {
    const token = await this.trackSession(sessionId);
    const response = await call("PUT", `/sessions/${sessionId}`, { body });
    const text = await response.text();
    this.exchanges.push({
      method: "PUT",
      path: `/sessions/${sessionId}`,
      status: response.status,
      text,
      allowed: token,
    });
    return { status: response.status, text, token };
  }

  /**
   * Every tracked value found in a log line, an answer or a frame, whole or
   * in part: any run of `LEAK_WINDOW` characters of a value counts.
   */
  leaks(): Leak[] {
    const found: Leak[] = [];
    const scan = (text: string, where: string, allowed?: string) => {
      for (const [value, label] of this.secrets) {
        if (value === allowed) continue;
        const at = firstWindowAt(text, value);
        if (at < 0) continue;
        const excerpt = text.slice(Math.max(0, at - 60), at + 60);
        found.push({ secret: label, where, excerpt });
      }
    };
    this.lines.forEach((line, i) => {
      scan(line, `log line ${i}`);
    });
    for (const e of this.exchanges) {
      scan(e.text, `${e.method} ${e.path} → ${e.status}`, e.allowed);
    }
    this.frames.forEach((frame, i) => {
      scan(frame, `frame ${i}`);
    });
    return found;
  }

  /** Log lines that are not one JSON object with a string `event`. */
  malformedLines(): string[] {
    return this.lines.filter((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return !(
          typeof parsed === "object" &&
          parsed !== null &&
          !Array.isArray(parsed) &&
          typeof (parsed as { event?: unknown }).event === "string"
        );
      } catch {
        return true;
      }
    });
  }

  /** The `event` names logged, in order. */
  events(): string[] {
    return this.lines.flatMap((line) => {
      try {
        const parsed = JSON.parse(line) as { event?: unknown };
        return typeof parsed.event === "string" ? [parsed.event] : [];
      } catch {
        return [];
      }
    });
  }
}
