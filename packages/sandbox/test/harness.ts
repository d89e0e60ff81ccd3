// The sandbox as its own tests start it: the file's keys, every answer checked against the
// document (strictResponses), and notification retries in milliseconds instead of minutes.
import { testKeys } from "@wechatpay-marketing/test-fixtures";
import { afterAll, beforeAll, expect } from "vitest";
import { type Sandbox, type SandboxOptions, startSandbox } from "../src/index.js";

export function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({
    strictResponses: true,
    notificationRetryDelaysMs: [10, 20, 40],
    ...testKeys(),
    ...options,
  });
}

/**
 * One test sandbox for the whole file, in `h.sandbox` from its first test on: started before
 * the file's tests, and after them checked for answers that broke the document, then closed.
 */
export function sandboxForFile(options: SandboxOptions = {}): { sandbox: Sandbox } {
  const h = {} as { sandbox: Sandbox };
  beforeAll(async () => {
    h.sandbox = await startTestSandbox(options);
  });
  afterAll(async () => {
    expect(h.sandbox.violations).toEqual([]);
    await h.sandbox.close();
  });
  return h;
}
