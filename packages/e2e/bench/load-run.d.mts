import type { Sandbox } from "@wechatpay-marketing/sandbox";

export interface LoadReport {
  requests: number;
  signedRequests: number;
  sends: number;
  answered: number;
  lost: number;
  serverErrors: number;
  couponsUsed: number;
  couponsUsedTwice: number;
  couponsUsedMoreThanOnce: number;
  requestNumbersAppliedTwice: number;
  repeatMismatches: number;
  sent: number;
  sendBudget: number;
  stockIssued: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  concurrency: number;
}

export function runLoad(options: {
  sandbox: Sandbox;
  createMarketingClient: (options: Sandbox["clientOptions"]) => unknown;
  signed?: number;
  sends?: number;
  concurrency?: number;
}): Promise<LoadReport>;
