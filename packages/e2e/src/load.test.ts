// 2,000 signed requests at 32 in flight against one sandbox (plus sends racing a budget): every
// request answered, no business request number applied twice, no coupon used twice. Timings are
// printed, never asserted (shared machines are noisy); `pnpm bench` prints them too
// (bench/load.mjs).
import { createMarketingClient } from "@wechatpay-marketing/client";
import { type Sandbox, startSandbox } from "@wechatpay-marketing/sandbox";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runLoad } from "../bench/load-run.mjs";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

it("loses no request and applies no request number or coupon twice under load", async () => {
  const report = await runLoad({
    sandbox,
    createMarketingClient,
    signed: 2000,
    sends: 300,
    concurrency: 32,
  });
  console.log(
    `load: ${report.requests} requests, ${report.requestsPerSecond.toFixed(0)} req/s, p50 ${report.p50Ms.toFixed(1)} ms, p99 ${report.p99Ms.toFixed(1)} ms`,
  );
  expect(report.signedRequests).toBe(2000);
  expect(report.answered).toBe(report.requests);
  expect(report.lost).toBe(0);
  expect(report.serverErrors).toBe(0);
  expect(report.couponsUsedTwice).toBe(0);
  expect(report.couponsUsedMoreThanOnce).toBe(0);
  expect(report.requestNumbersAppliedTwice).toBe(0);
  expect(report.repeatMismatches).toBe(0);
  expect(report.couponsUsed).toBe(1000);
  expect(report.sent).toBe(report.sendBudget);
  expect(report.stockIssued).toBe(report.sendBudget);
}, 180_000);
