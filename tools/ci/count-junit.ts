/**
 * Prints "N passed, N failed[, N skipped]" from a JUnit XML report, the
 * closing line of CI. Exits non-zero when the report is missing, counts no
 * test at all, or counts a failure.
 */
import { existsSync, readFileSync } from "node:fs";

const path = process.argv[2];
if (!path || !existsSync(path)) {
  console.log("0 passed, 1 failed");
  console.error(`no test report at ${path ?? "(none given)"}`);
  process.exit(1);
}
const xml = readFileSync(path, "utf8");
const cases = xml.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
let failed = 0;
let skipped = 0;
for (const testcase of cases) {
  if (/<(failure|error)\b/.test(testcase)) failed++;
  else if (/<skipped\b/.test(testcase)) skipped++;
}
const passed = cases.length - failed - skipped;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(cases.length === 0 || failed > 0 ? 1 : 0);
