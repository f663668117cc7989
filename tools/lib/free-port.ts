/**
 * A TCP port on 127.0.0.1 that nothing listens on, for a process the suite
 * starts. Another process could take it before ours binds it; on a test
 * machine that window is too short to matter.
 * @module
 */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";

/** Asks the kernel for a free port, then releases it for the caller. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => {
        resolve(port);
      });
    });
  });
}
