// The sandbox as its own tests start it: the file's keys, every answer checked against the
// document (strictResponses), and notification retries in milliseconds instead of minutes.
import { testKeys } from "@wechatpay-marketing/test-fixtures";
import { type Sandbox, type SandboxOptions, startSandbox } from "../src/index.js";

export function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({
    strictResponses: true,
    notificationRetryDelaysMs: [10, 20, 40],
    ...testKeys(),
    ...options,
  });
}
