import { exports } from "cloudflare:workers";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
it("answers", async () => {
  const res = await exports.default.fetch("https://x/");
  expect(await res.text()).toBe("1");
  expect((env as unknown as Record<string,string>).ADMIN_API_SECRET).toBe("test-admin-secret-7d3a");
});
