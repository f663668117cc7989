/** A WebSocket client of the Worker's ingest route, for tests. */
import { exports } from "cloudflare:workers";

export interface Frame {
  type: string;
  accepted?: number;
  ignored?: number;
  error?: { code: string; message: string };
}

export interface IngestSocket {
  /** Sends one text frame and waits for the answer to it. */
  send(text: string): Promise<Frame>;
  close(): void;
}

/** Opens `path` as a WebSocket with `token`. @throws when not upgraded. */
export async function openSocket(path: string, token: string): Promise<IngestSocket> {
  const response = await exports.default.fetch(`https://session.test${path}`, {
    headers: { upgrade: "websocket", authorization: `Bearer ${token}` },
  });
  const socket = response.webSocket;
  if (!socket) throw new Error(`no upgrade: ${response.status} ${await response.text()}`);
  socket.accept();
  const waiting: ((frame: Frame) => void)[] = [];
  socket.addEventListener("message", (event) => {
    waiting.shift()?.(JSON.parse(String(event.data)) as Frame);
  });
  return {
    send(text) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        socket.send(text);
      });
    },
    close() {
      socket.close(1000, "done");
    },
  };
}
