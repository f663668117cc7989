/**
 * Registration rules that protect callbacks: non-public addresses are
 * refused even when an operator lists them, and repeats are recognised by
 * meaning, not spelling.
 */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env.ts";
import { callbackUrlProblem } from "../../src/session/callback-url.ts";
import { TEST_BINDINGS } from "./bindings.ts";
import { HOOKS, callJson, uniqueId } from "./helpers/api.ts";

const NON_PUBLIC = [
  "https://198.18.0.1",
  "https://192.0.0.8",
  "https://224.0.0.1",
  "https://255.255.255.255",
  "https://100.64.0.1",
  "https://[64:ff9b::a00:1]",
  "https://[::a00:1]",
  "https://[fd00::1]",
  "https://[2001:db8::1]",
  "https://foo.localhost",
  "https://localhost.",
];

describe("non-public callback hosts", () => {
  it.each(NON_PUBLIC)("refuses %s even when it is an allowed origin", (origin) => {
    const config = loadConfig({
      ...TEST_BINDINGS,
      CALLBACK_ALLOWED_ORIGINS: origin,
    } as unknown as Env);

    expect(callbackUrlProblem(`${origin}/hook`, config)).toMatch(/private or loopback/);
  });

  it("accepts a global IPv6 address that is allowed", () => {
    const origin = "https://[2606:4700::1111]";
    const config = loadConfig({
      ...TEST_BINDINGS,
      CALLBACK_ALLOWED_ORIGINS: origin,
    } as unknown as Env);

    expect(callbackUrlProblem(`${origin}/hook`, config)).toBeNull();
  });
});

describe("registration repeats", () => {
  it("treats a URL that differs only in host case as the same registration", async () => {
    const id = uniqueId();
    const first = { callbackTarget: { url: `${HOOKS}/x`, headers: { "X-Key": "v" } } };
    const again = {
      callbackTarget: { url: "https://HOOKS.test/x", headers: { "x-key": "v" } },
    };

    expect((await callJson("PUT", `/sessions/${id}`, { body: first })).status).toBe(201);
    expect((await callJson("PUT", `/sessions/${id}`, { body: again })).status).toBe(200);
  });

  it("refuses the same header named twice in different case", async () => {
    const body = {
      callbackTarget: { url: `${HOOKS}/x`, headers: { "X-A": "1", "x-a": "2" } },
    };

    const { status, body: answer } = await callJson("PUT", `/sessions/${uniqueId()}`, {
      body,
    });

    expect(status).toBe(400);
    expect(JSON.stringify(answer)).toMatch(/names a header twice/);
  });
});
