/**
 * The one way this service answers bad input: a JSON body
 * `{ "error": { "code", "message", "details"? } }` with a fixed set of codes.
 */

/** The stable error codes of the API. */
export type ErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "misconfigured"
  | "internal_error";

const STATUS_OF: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  misconfigured: 500,
  internal_error: 500,
};

/** One failed validation, located by its path in the input. */
export interface IssueDetail {
  path: string;
  message: string;
}

/**
 * A request the service refuses. The message is for the caller and must
 * never contain a secret or a value the caller did not send.
 */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: readonly IssueDetail[],
  ) {
    super(message);
  }

  get status(): number {
    return STATUS_OF[this.code];
  }
}

/** The JSON body of an error answer. */
export function errorBody(
  code: ErrorCode,
  message: string,
  details?: readonly IssueDetail[],
) {
  return { error: details ? { code, message, details } : { code, message } };
}

/** Builds the JSON response for `error`. */
export function errorResponse(error: HttpError): Response {
  return Response.json(errorBody(error.code, error.message, error.details), {
    status: error.status,
  });
}
