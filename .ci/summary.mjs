// Prints the final "N passed, N failed" line from vitest's JSON report (CI does not read vitest's
// own summary). A test run that crashed before writing its report counts as one failure.
import { existsSync, readFileSync } from "node:fs";

const [reportPath, exitStatus = "0"] = process.argv.slice(2);
if (!existsSync(reportPath)) {
  console.log("no test report was written");
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const report = JSON.parse(readFileSync(reportPath, "utf8"));
const passed = report.numPassedTests ?? 0;
// Suites that failed to load have no failed tests of their own: count each as one failure.
const failedSuites = (report.testResults ?? []).filter((s) => s.status === "failed" && s.assertionResults.length === 0).length;
const failed = (report.numFailedTests ?? 0) + failedSuites;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const ok = failed === 0 && passed > 0 && exitStatus === "0";
if (!ok && failed === 0) console.log(`test command exited with ${exitStatus}${passed === 0 ? " and ran no test" : ""}`);
console.log(`${passed} passed, ${ok ? 0 : Math.max(failed, 1)} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(ok ? 0 : 1);
