/** Checking a parsed body against a valibot schema, as a 400 with paths. */
import * as v from "valibot";
import { HttpError } from "./errors.ts";

/**
 * An issue in words that never repeat the value received: it may be a
 * secret sent in the wrong place. Messages written in the schemas are kept.
 */
export function issueMessage(issue: v.BaseIssue<unknown>): string {
  if (!issue.message.startsWith("Invalid ")) return issue.message;
  if (issue.expected === "never") return "unknown field";
  if (issue.expected === null) return `invalid ${issue.type}`;
  return `invalid ${issue.type}: expected ${issue.expected}`;
}

/**
 * The input, typed by `schema`.
 * @throws HttpError `invalid_request` listing each failing path.
 */
export function validate<T extends v.GenericSchema>(
  schema: T,
  input: unknown,
): v.InferOutput<T> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;

  const details = result.issues.map((issue) => ({
    path: v.getDotPath(issue) ?? "(body)",
    message: issueMessage(issue),
  }));
  const first = details[0];
  const summary = first ? `${first.path}: ${first.message}` : "invalid body";
  throw new HttpError("invalid_request", `invalid body (${summary})`, details);
}
