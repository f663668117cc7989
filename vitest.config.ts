import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_BINDINGS } from "./test/worker/bindings.ts";

// Two projects: the Worker's own tests run inside workerd with real Durable
// Object storage and alarms; the end-to-end suite runs in Node and drives
// real `wrangler dev` processes.
export default defineConfig({
  test: {
    reporters: ["default", "junit"],
    // Service logs are shown for failing tests only.
    silent: "passed-only",
    outputFile: { junit: ".wrangler/test-reports/junit.xml" },
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            // Bindings set here win over a developer's .dev.vars, so tests
            // never depend on local secrets.
            miniflare: { bindings: TEST_BINDINGS },
          }),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          setupFiles: ["./test/worker/setup.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
