/**
 * A stand-in of the web application for local runs and end-to-end tests: a
 * plain Node `http` server on 127.0.0.1 that serves the two internal
 * endpoints the session service calls, records every request, and can be
 * told to fail.
 * @module
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleControl, isLoopback } from "./control-endpoints.ts";
import { FaultPlan } from "./faults.ts";
import { headerValue, parseJson, readBodyText, sendJson, sendText } from "./http-io.ts";
import { handleInternalCall } from "./internal-endpoints.ts";
import type { EndpointContext } from "./internal-endpoints.ts";
import { formatRequestLine, formatSummaryBlock } from "./log-lines.ts";
import { ReviewStore } from "./reviews.ts";
import { isControlRoute, matchRoute } from "./routes.ts";
import type { Route } from "./routes.ts";
import type { EndpointKind, Fault, RecordedRequest, Review } from "./types.ts";

export type { EndpointKind, Fault, RecordedRequest, Review } from "./types.ts";

const HOST = "127.0.0.1";

/** How to start the stand-in. */
export interface StandInOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** The secret expected in `X-Internal-Secret`. */
  internalSecret: string;
  /** Create unknown reviews on first call instead of answering 404. Default false. */
  autoCreateReviews?: boolean;
  /** Receives one readable line per request. Default: discard. */
  log?: (line: string) => void;
}

/** A running stand-in. */
export interface WebAppStandIn {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  port: number;
  /** Stops listening and cuts open connections. */
  close(): Promise<void>;
  /** Every request to a non-control path, in arrival order (live array). */
  requests: RecordedRequest[];
  /** Creates a running review unless it exists; returns a copy of it. */
  createReview(reviewId: string): Review;
  /** A copy of the review, or undefined. */
  getReview(reviewId: string): Review | undefined;
  /** Queues faults for the next requests of `kind`, consumed one per request. */
  injectFaults(kind: EndpointKind, faults: Fault[]): void;
  /** While on, every request of `kind` is dropped without an answer. */
  setUnreachable(kind: EndpointKind, on: boolean): void;
}

interface StandInState extends EndpointContext {
  faults: FaultPlan;
  requests: RecordedRequest[];
  log: (line: string) => void;
}

/** Starts the stand-in on 127.0.0.1 and resolves once it listens. */
export async function startWebAppStandIn(
  options: StandInOptions,
): Promise<WebAppStandIn> {
  const state: StandInState = {
    store: new ReviewStore(),
    internalSecret: options.internalSecret,
    autoCreateReviews: options.autoCreateReviews ?? false,
    faults: new FaultPlan(),
    requests: [],
    log: options.log ?? discardLine,
  };
  const server = createServer((req, res) => {
    serve(req, res, state).catch((error: unknown) => {
      failRequest(res, error, state);
    });
  });
  const port = await listen(server, options.port ?? 0);

  return {
    url: `http://${HOST}:${port}`,
    port,
    close: () => closeServer(server),
    requests: state.requests,
    createReview: (reviewId) => state.store.create(reviewId).review,
    getReview: (reviewId) => state.store.get(reviewId),
    injectFaults: (kind, faults) => {
      state.faults.inject(kind, faults);
    },
    setUnreachable: (kind, on) => {
      state.faults.setUnreachable(kind, on);
    },
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, state: StandInState) {
  const url = new URL(req.url ?? "/", `http://${HOST}`);
  const route = matchRoute(url.pathname);
  if (isControlRoute(route)) {
    serveControl(req, res, route, state);
    return;
  }

  const record = recordArrival(req, route, url.pathname, state.requests);
  const bodyText = await readBodyText(req);
  const parsed = parseJson(bodyText);
  record.body = parsed.ok ? parsed.value : bodyText;

  if (route.kind === "other") {
    answer(res, record, 404, { error: "Not found" }, state, "unknown path");
    return;
  }
  serveInternal(req, res, { ...route, bodyText, record }, state);
}

interface InternalRequest {
  kind: EndpointKind;
  reviewId: string;
  bodyText: string;
  record: RecordedRequest;
}

function serveInternal(
  req: IncomingMessage,
  res: ServerResponse,
  request: InternalRequest,
  state: StandInState,
) {
  const { record } = request;
  const fault = state.faults.next(request.kind);
  if (fault.action === "drop") {
    state.log(formatRequestLine(record, `dropped (${dropReason(fault.reason)})`));
    req.socket.destroy();
    return;
  }
  if (fault.action === "answer") {
    record.answeredStatus = fault.status;
    sendText(res, fault.status, fault.body, fault.headers);
    state.log(formatRequestLine(record, "(injected fault)"));
    return;
  }
  if (req.method !== "POST") {
    answer(res, record, 405, { error: "Method not allowed" }, state, "expected POST");
    return;
  }

  const secretHeader = headerValue(req, "x-internal-secret");
  const result = handleInternalCall({ ...request, secretHeader }, state);
  answer(res, record, result.status, result.body, state, result.note);
  if (result.finished?.status === "completed") {
    for (const line of formatSummaryBlock(result.finished)) state.log(line);
  }
}

function serveControl(
  req: IncomingMessage,
  res: ServerResponse,
  route: Extract<Route, { kind: "control-review" | "control-requests" }>,
  state: StandInState,
) {
  if (!isLoopback(req.socket.remoteAddress)) {
    sendJson(res, 403, { error: "Forbidden" });
    return;
  }
  const result = handleControl(route, req.method ?? "GET", state.store, state.requests);
  sendJson(res, result.status, result.body);
}

function recordArrival(
  req: IncomingMessage,
  route: Route,
  path: string,
  requests: RecordedRequest[],
): RecordedRequest {
  const isInternal = route.kind === "usage" || route.kind === "status";
  const record: RecordedRequest = {
    kind: isInternal ? route.kind : "other",
    reviewId: isInternal ? route.reviewId : null,
    method: req.method ?? "GET",
    path,
    receivedAtMs: Date.now(),
    answeredStatus: null,
    body: "",
    idempotencyKey: headerValue(req, "idempotency-key"),
  };
  requests.push(record);
  return record;
}

/** Completes the record first, so a client holding the answer sees it. */
function answer(
  res: ServerResponse,
  record: RecordedRequest,
  status: number,
  body: unknown,
  state: StandInState,
  note: string,
) {
  record.answeredStatus = status;
  sendJson(res, status, body);
  state.log(formatRequestLine(record, note));
}

function failRequest(res: ServerResponse, error: unknown, state: StandInState) {
  const reason = error instanceof Error ? error.message : String(error);
  state.log(`error   stand-in failed to serve a request: ${reason}`);
  if (!res.headersSent) sendJson(res, 500, { error: "Internal server error" });
  else res.destroy();
}

/** Quiet by default: tests read `requests` rather than the log. */
function discardLine(): void {
  return;
}

function dropReason(reason: "fault" | "unreachable"): string {
  return reason === "fault" ? "injected fault" : "endpoint unreachable";
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
    // Keep-alive connections would hold close() open until they time out.
    server.closeAllConnections();
  });
}
