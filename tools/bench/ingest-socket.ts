/**
 * A WebSocket client of the ingest socket (or its floor): one text message
 * at a time, each answered by an ack in order.
 * @module
 */
import { BenchError } from "./bench-error.ts";

const OPEN_TIMEOUT_MS = 10_000;
const ACK_TIMEOUT_MS = 30_000;

/** An open ingest socket. */
export interface IngestSocket {
  /** Sends one text message and resolves with its ack. */
  send(text: string): Promise<void>;
  /** Closes the socket and waits for the close to complete. */
  close(): Promise<void>;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Opens `url` with the session's ingest token.
 * @throws BenchError when the upgrade fails or times out
 */
export async function openIngestSocket(
  url: string,
  token: string,
): Promise<IngestSocket> {
  const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
  const waiting: Waiter[] = [];
  let broken: BenchError | null = null;
  const fail = (error: BenchError) => {
    broken ??= error;
    for (const waiter of waiting.splice(0)) waiter.reject(error);
  };

  socket.addEventListener("message", (event) => {
    const frame = parseFrame(event.data);
    const waiter = waiting.shift();
    if (frame.type === "ack") waiter?.resolve();
    else waiter?.reject(new BenchError(`${url} answered ${String(event.data)}`));
  });
  socket.addEventListener("close", (event) => {
    fail(new BenchError(`${url} closed (${event.code} ${event.reason})`));
  });
  await opened(socket, url);

  return {
    send(text) {
      if (broken) return Promise.reject(broken);
      const acked = new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
      });
      socket.send(text);
      return withTimeout(acked, ACK_TIMEOUT_MS, `no ack from ${url}`);
    },
    close() {
      if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
      const closed = new Promise<void>((resolve) => {
        socket.addEventListener("close", () => {
          resolve();
        });
      });
      socket.close(1000, "bench done");
      return withTimeout(closed, OPEN_TIMEOUT_MS, `${url} did not close`);
    },
  };
}

function opened(socket: WebSocket, url: string): Promise<void> {
  const open = new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => {
      resolve();
    });
    socket.addEventListener("error", () => {
      reject(new BenchError(`could not open ${url}`));
    });
  });
  return withTimeout(open, OPEN_TIMEOUT_MS, `${url} did not open`);
}

function parseFrame(data: unknown): { type?: unknown } {
  try {
    return JSON.parse(String(data)) as { type?: unknown };
  } catch {
    return {};
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new BenchError(`${what} within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
