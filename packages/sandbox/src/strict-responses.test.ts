// Answers are checked against the document in every test run: strictResponses defaults on under
// a test runner, so a sandbox started by any test without the option still refuses to hand out
// an answer the document does not allow.
import { afterEach, describe, expect, it } from "vitest";
import { sendSigned } from "../test/raw-http.js";
import { generateRsaKeyPair, operationKey, type Sandbox, startSandbox } from "./index.js";
import { underTestRunner } from "./server.js";

const CALLBACKS = "/v3/marketing/busifavor/callbacks";
/** setBusifavorCallback answering a number where the document says notify_url is text. */
const wrongAnswer = {
  [operationKey("POST", CALLBACKS)]: () => ({ status: 200, body: { notify_url: 42 } }),
};

const started: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function callWrongHandler(strictResponses?: boolean) {
  const sandbox = await startSandbox({
    merchantPrivateKey: generateRsaKeyPair().privateKey,
    handlers: wrongAnswer,
    ...(strictResponses === undefined ? {} : { strictResponses }),
  });
  started.push(sandbox);
  const answer = await sendSigned(sandbox, "POST", CALLBACKS, {
    mchid: sandbox.mchid,
    notify_url: "https://merchant.example/notify",
  });
  return { sandbox, answer };
}

describe("strictResponses", () => {
  it("is on by default under Vitest: a wrong answer becomes 500 and a violation", async () => {
    expect(process.env.VITEST).toBeDefined();
    const { sandbox, answer } = await callWrongHandler();
    expect([answer.status, answer.json.code], answer.text).toEqual([500, "SYSTEM_ERROR"]);
    expect(answer.json.message).toContain("sandbox answer violates the document");
    expect(sandbox.violations).toEqual([expect.stringContaining("setBusifavorCallback 200")]);
  });

  it("strictResponses: false lets the same answer through unchecked", async () => {
    const { sandbox, answer } = await callWrongHandler(false);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({ notify_url: 42 });
    expect(sandbox.violations).toEqual([]);
  });

  it("defaults on for Vitest (VITEST) and for runners that set NODE_ENV=test, off otherwise", () => {
    expect(underTestRunner({ VITEST: "true" })).toBe(true);
    expect(underTestRunner({ NODE_ENV: "test" })).toBe(true);
    expect(underTestRunner({ NODE_ENV: "production" })).toBe(false);
    expect(underTestRunner({})).toBe(false);
  });
});
