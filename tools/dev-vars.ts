/**
 * The local `.dev.vars` file that `wrangler dev` reads for secrets, shared by
 * `npm start` (which writes it when missing), the demo and the admin CLI.
 * @module
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

/** `.dev.vars` at the repository root, where `wrangler dev` looks for it. */
export const DEV_VARS_PATH = join(import.meta.dirname, "..", ".dev.vars");

/** Where `npm start` runs the web app stand-in unless told otherwise. */
export const DEFAULT_API_URL = "http://127.0.0.1:8788";

/** The secrets that a fresh `.dev.vars` gets, each a random value. */
export const SECRET_NAMES = [
  "INTERNAL_API_SECRET",
  "SESSION_API_SECRET",
  "ADMIN_API_SECRET",
] as const;

/** 32 bytes: 256 bits, far past guessing, 43 characters in base64url. */
const SECRET_BYTES = 32;

/** The parsed variables, by name. */
export type DevVars = Readonly<Record<string, string>>;

/** Where to find the file and what a fresh one should point at. */
export interface DevVarsOptions {
  /** Default: {@link DEV_VARS_PATH}. */
  filePath?: string;
  /** API_URL for a fresh file. Default: {@link DEFAULT_API_URL}. */
  apiUrl?: string;
}

/**
 * Reads and parses `.dev.vars` (dotenv syntax).
 * @returns the variables, or undefined when the file does not exist
 */
export function readDevVars(filePath: string = DEV_VARS_PATH): DevVars | undefined {
  let text: string;
  try {
    text = readFileSync(filePath, "utf8");
  } catch (error) {
    if (isFileMissing(error)) return undefined;
    throw error;
  }
  return withoutUndefined(parseEnv(text));
}

/**
 * Reads `.dev.vars`, first writing one with fresh random secrets if there is
 * none. An existing file is never changed.
 * @returns the variables and whether the file was created just now
 */
export function ensureDevVars(options: DevVarsOptions = {}): {
  vars: DevVars;
  created: boolean;
} {
  const filePath = options.filePath ?? DEV_VARS_PATH;
  const existing = readDevVars(filePath);
  if (existing !== undefined) return { vars: existing, created: false };

  try {
    // "wx": if another process wrote the file meanwhile, keep theirs.
    const text = renderFreshDevVars(options.apiUrl ?? DEFAULT_API_URL);
    writeFileSync(filePath, text, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if (!isFileExisting(error)) throw error;
  }
  return { vars: readDevVars(filePath) ?? {}, created: true };
}

/**
 * One variable's value.
 * @throws Error naming the variable and the file when it is missing or empty
 */
export function requireDevVar(
  vars: DevVars,
  name: string,
  filePath: string = DEV_VARS_PATH,
): string {
  const value = vars[name];
  if (value === undefined || value === "") {
    throw new Error(`${name} is missing from ${filePath}`);
  }
  return value;
}

function renderFreshDevVars(apiUrl: string): string {
  const secrets = SECRET_NAMES.map(
    (name) => `${name}=${randomBytes(SECRET_BYTES).toString("base64url")}`,
  );
  return [
    "# Written by `npm start` with random secrets. Local use only; git-ignored.",
    ...secrets,
    `API_URL=${apiUrl}`,
    // The stand-in speaks plain http on loopback.
    "ALLOW_INSECURE_CALLBACKS=true",
    "",
  ].join("\n");
}

function withoutUndefined(parsed: Record<string, string | undefined>): DevVars {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (value !== undefined) vars[name] = value;
  }
  return vars;
}

function isFileMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

function isFileExisting(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "EEXIST";
}
