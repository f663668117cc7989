import { runInDurableObject } from "cloudflare:test";
import { afterAll, afterEach, beforeAll } from "vitest";
import { idsInThisTest } from "./helpers/api.ts";
import { stubOf } from "./helpers/alarms.ts";
import { network } from "./helpers/network.ts";

beforeAll(() => {
  network.enable();
});

// Real alarms keep running after a test ends; a retry due in two seconds
// would otherwise fire during a later test and reach its handlers.
afterEach(async () => {
  for (const id of idsInThisTest) {
    await runInDurableObject(stubOf(id), (_, state) => state.storage.deleteAlarm());
  }
  idsInThisTest.clear();
  network.resetHandlers();
});

afterAll(() => {
  network.disable();
});
