import { createMarketingClient } from "@wechatpay-marketing/client";
import { startSandbox } from "@wechatpay-marketing/sandbox";
import { afterAll, beforeAll, expect, it } from "vitest";

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

it("the client's signed call is verified by the sandbox and its answer by the client", async () => {
  const client = createMarketingClient(sandbox.clientOptions);
  const { data, error, response } = await client.GET(
    "/v3/marketing/busifavor/users/{openid}/coupons",
    {
      params: {
        path: { openid: "oE2eUserWithNoCoupons00000" },
        query: { appid: "wx8888888888888888" },
      },
    },
  );
  expect(error).toBeUndefined();
  expect(response.status).toBe(200);
  expect(data?.data ?? []).toEqual([]);
});
