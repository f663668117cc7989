import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { CloudAgentSession } from "../../src/session/cloud-agent-session.ts";
import { TEST_BINDINGS } from "./bindings.ts";
import { uniqueId } from "./helpers/api.ts";
import { stubOf } from "./helpers/alarms.ts";

describe("an alarm under a broken configuration", () => {
  it("logs the setting and tries again in five minutes", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const broken = { ...TEST_BINDINGS, INTERNAL_API_SECRET: "" } as unknown as Env;

    const armedAt = await runInDurableObject(stubOf(uniqueId()), async (_, state) => {
      await new CloudAgentSession(state, broken).alarm();
      return state.storage.getAlarm();
    });

    expect(armedAt ?? 0).toBeGreaterThan(Date.now() + 4 * 60_000);
    expect(armedAt ?? Infinity).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
    const line = JSON.parse(String(errors.mock.calls[0]?.[0])) as Record<string, unknown>;
    expect(line).toMatchObject({
      event: "config.misconfigured",
      setting: "INTERNAL_API_SECRET",
    });
    errors.mockRestore();
  });
});
