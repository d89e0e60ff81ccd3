// The client's log hook sees every attempt and no secret: calls signed with the sandbox's real
// merchant key, answered, refused, retried, timed out and forged, and every entry serialized and
// searched for every secret the calls carried (the key, the APIv3 and APIv2 keys, each
// Authorization, its signature and nonce, each answer's signature) and for the request bodies.
import { inspect } from "node:util";
import { type CallLogEntry, createMarketingClient } from "@wechatpay-marketing/client";
import { type Sandbox, startSandbox } from "@wechatpay-marketing/sandbox";
import { APPID, stockBody, unique } from "@wechatpay-marketing/test-fixtures";
import { afterAll, beforeAll, expect, it } from "vitest";

const OPENID = "oCallLogUser00000000000000";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

/** Every secret that went over the wire, read by a fetch in between. */
const wire = {
  authorizations: [] as string[],
  answerSignatures: [] as string[],
  bodies: [] as string[],
};
const recording = async (request: Request): Promise<Response> => {
  wire.authorizations.push(request.headers.get("Authorization") ?? "");
  if (request.body) wire.bodies.push(await request.clone().text());
  const response = await fetch(request);
  for (const name of ["Wechatpay-Signature", "Wechatpay-Nonce"]) {
    const value = response.headers.get(name);
    if (value) wire.answerSignatures.push(value);
  }
  return response;
};

it("no secret reaches the log hook", async () => {
  const log: CallLogEntry[] = [];
  const client = createMarketingClient({
    ...sandbox.clientOptions,
    fetch: recording,
    retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 50 },
    timeout: 150,
    onLog: (entry) => log.push(entry),
  });
  const created = await client.POST("/v3/marketing/busifavor/stocks", {
    body: stockBody(sandbox.mchid, { stock_name: "日志测试满减券" }) as never,
  });
  const stockId = created.data?.stock_id as string;
  const send = (n: number) =>
    client.POST("/v3/marketing/busifavor/coupons/send", {
      body: {
        openid: OPENID,
        appid: APPID,
        stock_id: stockId,
        out_request_no: unique(`log-send-${n}-`),
      },
    });
  sandbox.injectFault({ kind: "system-error", path: "/coupons/send" });
  await send(1);
  sandbox.injectFault({ kind: "latency", path: "/coupons/send", latencyMs: 400 });
  await send(2);
  await client.GET("/v3/marketing/busifavor/users/{openid}/coupons", {
    params: { path: { openid: OPENID }, query: { appid: APPID } },
  });
  await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
    params: { path: { stock_id: "9999999999" } },
  });
  sandbox.injectFault({ kind: "tampered-signature", path: "/busifavor/stocks/" });
  await client
    .GET("/v3/marketing/busifavor/stocks/{stock_id}", { params: { path: { stock_id: stockId } } })
    .catch(() => undefined);

  // Not vacuous: answers, an error answer, a retry, a timeout and a forged answer were logged.
  expect(log.map((e) => e.status ?? e.errorCode)).toEqual(
    expect.arrayContaining([200, 404, 500, "TIMEOUT", "SIGNATURE_INVALID"]),
  );
  expect(wire.authorizations.length).toBeGreaterThanOrEqual(log.length);
  const secrets = [
    ...sandbox.clientOptions.privateKey.split("\n").filter((line) => line.length > 40),
    sandbox.apiV3Key,
    sandbox.apiV2Key,
    sandbox.controlToken,
    ...wire.authorizations,
    ...wire.authorizations.flatMap((a) =>
      [...a.matchAll(/(?:signature|nonce_str)="([^"]+)"/g)].map((m) => m[1] as string),
    ),
    ...wire.answerSignatures,
    // What the calls sent: bodies are never logged, nor a filled-in path (it holds the openid).
    ...wire.bodies,
    OPENID,
  ];
  expect(secrets.length).toBeGreaterThan(20);
  for (const text of [JSON.stringify(log), inspect(log, { depth: null })]) {
    const leaked = secrets.filter((secret) => text.includes(secret));
    expect(leaked).toEqual([]);
  }
  expect(log.every((e) => e.path.startsWith("/v3/marketing/"))).toBe(true);
});
