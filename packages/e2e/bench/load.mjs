// pnpm --filter @wechatpay-marketing/e2e bench: timed figures of the load run (the load
// test asserts correctness only; timings are printed here, never asserted).
import { createMarketingClient } from "@wechatpay-marketing/client";
import { startSandbox } from "@wechatpay-marketing/sandbox";
import { runLoad } from "./load-run.mjs";

const sandbox = await startSandbox();
try {
  const report = await runLoad({ sandbox, createMarketingClient });
  const ok =
    report.lost === 0 &&
    report.serverErrors === 0 &&
    report.couponsUsedTwice === 0 &&
    report.couponsUsedMoreThanOnce === 0 &&
    report.requestNumbersAppliedTwice === 0 &&
    report.repeatMismatches === 0 &&
    report.stockIssued <= report.sendBudget;
  console.log(
    [
      `sandbox load: ${report.signedRequests} signed requests + ${report.sends} control-API sends, ${report.concurrency} in flight`,
      `  answered ${report.answered}/${report.requests}, lost ${report.lost}, 5xx ${report.serverErrors}`,
      `  coupons used ${report.couponsUsed} (used twice: ${report.couponsUsedTwice}), request numbers applied twice: ${report.requestNumbersAppliedTwice}`,
      `  sends accepted ${report.sent} of budget ${report.sendBudget} (stock issued ${report.stockIssued})`,
      `  ${report.requestsPerSecond.toFixed(0)} requests/s, p50 ${report.p50Ms.toFixed(1)} ms, p99 ${report.p99Ms.toFixed(1)} ms, ${report.seconds.toFixed(2)} s`,
    ].join("\n"),
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await sandbox.close();
}
