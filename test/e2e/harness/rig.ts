/**
 * One end-to-end setup: the web app stand-in on a free port, and the
 * session service under `wrangler dev` pointed at it, with fresh random
 * secrets, fast deliveries and a temporary folder of its own that holds
 * everything either of them writes.
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startWebAppStandIn } from "../../../tools/web-app/stand-in.ts";
import type { Review, WebAppStandIn } from "../../../tools/web-app/stand-in.ts";
import { freePort } from "../../../tools/lib/free-port.ts";
import { ServiceClient, unexpected } from "./service-client.ts";
import type { Answer, Registered, Secrets, SessionView } from "./service-client.ts";
import { waitFor } from "./wait-for.ts";
import { startWranglerDev } from "./wrangler-dev.ts";
import type { WranglerDev } from "./wrangler-dev.ts";

/** Deliveries in seconds rather than hours. Each test reads what it relies on. */
export const FAST_DELIVERY = {
  usageGateMs: 3_000,
  retryDelaysMs: [300, 600, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000],
  timeoutMs: 2_000,
} as const;

/** How long a test waits for a delivery that the fast settings make quick. */
export const DELIVERY_WAIT_MS = 20_000;

/** Vars that differ from the fast defaults, by binding name. */
export type VarOverrides = Readonly<Record<string, string>>;

/** A registered session whose callback goes to a review of the stand-in. */
export interface OpenSession extends Registered {
  reviewId: string;
  /** Posts envelopes with the ingest token; throws unless 202. */
  send(envelopes: readonly unknown[]): Promise<void>;
}

let idCounter = 0;

/** A stand-in, a service, and the folder and secrets they share. */
export class Rig {
  readonly secrets: Secrets;
  /** The current stand-in: {@link resetWebApp} replaces it. */
  standIn: WebAppStandIn;
  /** The current service: {@link restartService} replaces it. */
  service: WranglerDev;
  /** The client, always at the current service's URL. */
  readonly api: ServiceClient;
  readonly #dir: string;
  readonly #vars: Record<string, string>;

  private constructor(parts: {
    dir: string;
    secrets: Secrets;
    vars: Record<string, string>;
    standIn: WebAppStandIn;
    service: WranglerDev;
  }) {
    this.#dir = parts.dir;
    this.secrets = parts.secrets;
    this.#vars = parts.vars;
    this.standIn = parts.standIn;
    this.service = parts.service;
    this.api = new ServiceClient(() => this.service.url, this.secrets);
  }

  /** Starts both; on failure, stops what started and removes the folder. */
  static async start(overrides: VarOverrides = {}): Promise<Rig> {
    const dir = await mkdtemp(join(tmpdir(), "cloud-agent-e2e-"));
    const secrets = freshSecrets();
    let standIn: WebAppStandIn | undefined;
    try {
      standIn = await startWebAppStandIn({ internalSecret: secrets.internal });
      const vars = { ...fastVars(standIn.url), ...overrides };
      const service = await startService(dir, secrets, vars);
      return new Rig({ dir, secrets, vars, standIn, service });
    } catch (error) {
      await standIn?.close();
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Replaces the stand-in by a fresh one on the same port: no reviews,
   * requests or faults.
   * @returns the new stand-in's log, one readable line a request
   */
  async resetWebApp(): Promise<readonly string[]> {
    const { port } = this.standIn;
    await this.standIn.close();
    const log: string[] = [];
    this.standIn = await startWebAppStandIn({
      port,
      internalSecret: this.secrets.internal,
      log: (line) => log.push(line),
    });
    return log;
  }

  /** Kills the service's whole process group at once, as a crash would. */
  async crashService(): Promise<void> {
    await this.service.kill();
  }

  /** Starts the service again on the same storage, on a new port. */
  async restartService(): Promise<void> {
    this.service = await startService(this.#dir, this.secrets, this.#vars);
  }

  /** Stops both and removes the folder. */
  async close(): Promise<void> {
    try {
      await this.service.stop();
    } finally {
      await this.standIn.close();
      await rm(this.#dir, { recursive: true, force: true });
    }
  }

  /** Waits until the stand-in's review is no longer running, and returns it. */
  waitForReview(reviewId: string, timeoutMs = DELIVERY_WAIT_MS): Promise<Review> {
    return waitFor(
      () => {
        const review = this.standIn.getReview(reviewId);
        return review?.status !== "running" && review;
      },
      timeoutMs,
      `review ${reviewId} to get its status callback`,
    );
  }

  /**
   * Waits until neither of the session's deliveries is pending, so that no
   * further request can come, and returns the session as GET shows it.
   */
  waitForSettled(sessionId: string, timeoutMs = DELIVERY_WAIT_MS): Promise<SessionView> {
    return waitFor(
      async () => {
        const view = await this.api.getSession(sessionId);
        const { usage, callback } = view.deliveries;
        return usage?.state !== "pending" && callback?.state !== "pending" && view;
      },
      timeoutMs,
      `the deliveries of ${sessionId} to settle`,
    );
  }

  /**
   * Creates a review on the stand-in and registers a session whose callback
   * goes to it, with the web app's secret header.
   * @param withReviewId false registers the session without the reviewId
   */
  async openSession(label: string, withReviewId = true): Promise<OpenSession> {
    idCounter += 1;
    const sessionId = `e2e-${label}-${Date.now().toString(36)}-${idCounter}`;
    const reviewId = `rev-${sessionId}`;
    this.standIn.createReview(reviewId);
    const callbackTarget = {
      url: `${this.standIn.url}/api/internal/code-review-status/${reviewId}`,
      headers: { "X-Internal-Secret": this.secrets.internal },
    };
    const registration = withReviewId ? { reviewId, callbackTarget } : { callbackTarget };
    const answer = await this.api.register(sessionId, registration);
    if (answer.status !== 201) throw unexpected(`PUT /sessions/${sessionId}`, answer);

    const session = { ...answer.body, reviewId };
    const send = async (envelopes: readonly unknown[]) => {
      expectAccepted(await this.api.postEvents(session, envelopes), sessionId);
    };
    return { ...session, send };
  }
}

/**
 * Starts a rig before the file's tests and stops it after them, with a fresh
 * stand-in for each test. A failing test prints what the service and the
 * stand-in logged meanwhile.
 * @returns the running rig
 */
export function useRig(overrides: VarOverrides = {}): () => Rig {
  let rig: Rig | undefined;
  const current = () => {
    if (!rig) throw new Error("the end-to-end rig did not start");
    return rig;
  };
  beforeAll(async () => {
    rig = await Rig.start(overrides);
  });
  afterAll(async () => {
    await rig?.close();
  });
  beforeEach(async ({ onTestFailed }) => {
    const webAppLog = await current().resetWebApp();
    const service = current().service;
    const firstLine = service.output.length;
    onTestFailed(() => {
      const lines = service.output.slice(firstLine);
      // A restart during the test replaced the service and its output.
      const { output } = current().service;
      if (output !== service.output) lines.push("(restarted)", ...output);
      console.log(`wrangler dev said:\n${lines.join("\n")}`);
      console.log(`the web app stand-in saw:\n${webAppLog.join("\n")}`);
    });
  });
  return current;
}

function fastVars(apiUrl: string): Record<string, string> {
  return {
    API_URL: apiUrl,
    ALLOW_INSECURE_CALLBACKS: "true",
    USAGE_GATE_MS: String(FAST_DELIVERY.usageGateMs),
    DELIVERY_RETRY_DELAYS_MS: FAST_DELIVERY.retryDelaysMs.join(","),
    DELIVERY_TIMEOUT_MS: String(FAST_DELIVERY.timeoutMs),
  };
}

function freshSecrets(): Secrets {
  const secret = () => randomBytes(24).toString("base64url");
  return { internal: secret(), session: secret(), admin: secret() };
}

async function startService(dir: string, secrets: Secrets, vars: Record<string, string>) {
  return startWranglerDev({
    dir,
    port: await freePort(),
    vars,
    secrets: {
      INTERNAL_API_SECRET: secrets.internal,
      SESSION_API_SECRET: secrets.session,
      ADMIN_API_SECRET: secrets.admin,
    },
  });
}

function expectAccepted(answer: Answer<{ accepted: number }>, sessionId: string) {
  if (answer.status !== 202) throw unexpected(`POST events of ${sessionId}`, answer);
}
