/**
 * Typed reads from JSON of unknown shape, each failing with the path that
 * was missing, so that a renamed field in the service's answer is obvious.
 * @module
 */
import { DemoError } from "./http-json.ts";

/**
 * The value at a dotted path (`usage.totals.tokensIn`), or undefined. The
 * empty path is the value itself.
 */
export function valueAt(json: unknown, path: string): unknown {
  if (path === "") return json;
  let value = json;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A number at `path`. @throws DemoError naming the path */
export function numberAt(json: unknown, path: string): number {
  const value = valueAt(json, path);
  if (typeof value !== "number") throw missing(path, "a number", value);
  return value;
}

/** A string at `path`. @throws DemoError naming the path */
export function stringAt(json: unknown, path: string): string {
  const value = valueAt(json, path);
  if (typeof value !== "string") throw missing(path, "a string", value);
  return value;
}

/** A string or null at `path`. @throws DemoError naming the path */
export function nullableStringAt(json: unknown, path: string): string | null {
  const value = valueAt(json, path);
  if (value === null) return null;
  if (typeof value !== "string") throw missing(path, "a string or null", value);
  return value;
}

/** An array at `path`. @throws DemoError naming the path */
export function arrayAt(json: unknown, path: string): unknown[] {
  const value = valueAt(json, path);
  if (!Array.isArray(value)) throw missing(path, "an array", value);
  return value as unknown[];
}

function missing(path: string, expected: string, value: unknown): DemoError {
  const got = value === undefined ? "nothing" : JSON.stringify(value);
  return new DemoError(`Expected ${expected} at ${path} in the answer, got ${got}`);
}
