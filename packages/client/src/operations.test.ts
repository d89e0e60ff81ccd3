import { createHash } from "node:crypto";
import {
  operation,
  type OperationId as SpecOperationId,
  operations as specOperations,
} from "@wechatpay-marketing/openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  generateTestKeys,
  startWechatpayServer,
  type WechatpayTestServer,
} from "../test/wechatpay-server.js";
import { createMarketingClient, type MarketingClient, type operations } from "./index.js";

// Every operation of the spec, called through the typed client against a real signing server on
// 127.0.0.1: what went on the wire (method, path, query, body, signature) and what came back.

/** The operations of `paths` (the generated `operations` also holds the webhook's). */
type OperationId = keyof operations & SpecOperationId;
type JsonBody<Op extends OperationId> = operations[Op] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;

interface Examples {
  content?: Record<string, { examples?: Record<string, { value: unknown }> }>;
}

/** The operation of the document's model (the same list the docs and the sandbox read). */
function docOperation(id: OperationId) {
  const op = operation(id);
  return {
    ...op,
    requestBody: op.definition.requestBody as Examples | undefined,
    responses: op.definition.responses as Record<string, Examples>,
  };
}

/** The operation's first request example, typed as its request body. */
function requestExample<Op extends OperationId>(id: Op): JsonBody<Op> {
  const examples = docOperation(id).requestBody?.content?.["application/json"]?.examples ?? {};
  const first = Object.values(examples)[0];
  if (!first) throw new Error(`${id} has no request example`);
  return structuredClone(first.value) as JsonBody<Op>;
}

/** The operation's 2xx status and first response example (undefined for 204). */
function responseExample(id: OperationId): { status: number; body: unknown } {
  const [status, response] =
    Object.entries(docOperation(id).responses).find(([s]) => s.startsWith("2")) ?? [];
  if (!status) throw new Error(`${id} has no 2xx response`);
  const example = Object.values(response?.content?.["application/json"]?.examples ?? {})[0];
  return { status: Number(status), body: example?.value };
}

interface Case<Op extends OperationId = OperationId> {
  id: Op;
  /** The exact path and query expected on the wire. */
  url: string;
  call(client: MarketingClient): Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

const STOCK = "1212000000000000000";
const OPENID = "oK7fFt8zzEZ909XH-LE2#";
const APPID = "wx1234567890abcdef";
const ACTIVITY = "126002309";
const FAVOR_STOCK = "2433405";
/** A real 1×1 PNG. */
const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  ),
  (ch) => ch.charCodeAt(0),
);
const define = <Op extends OperationId>(c: Case<Op>) => c as Case;

const cases: Case[] = [
  define({
    id: "createBusifavorStock",
    url: "/v3/marketing/busifavor/stocks",
    call: (c) =>
      c.POST("/v3/marketing/busifavor/stocks", { body: requestExample("createBusifavorStock") }),
  }),
  define({
    id: "getBusifavorStock",
    url: `/v3/marketing/busifavor/stocks/${STOCK}`,
    call: (c) =>
      c.GET("/v3/marketing/busifavor/stocks/{stock_id}", { params: { path: { stock_id: STOCK } } }),
  }),
  define({
    id: "updateBusifavorStock",
    url: `/v3/marketing/busifavor/stocks/${STOCK}`,
    call: (c) =>
      c.PATCH("/v3/marketing/busifavor/stocks/{stock_id}", {
        params: { path: { stock_id: STOCK } },
        body: requestExample("updateBusifavorStock"),
      }),
  }),
  define({
    id: "updateBusifavorStockBudget",
    url: `/v3/marketing/busifavor/stocks/${STOCK}/budget`,
    call: (c) =>
      c.PATCH("/v3/marketing/busifavor/stocks/{stock_id}/budget", {
        params: { path: { stock_id: STOCK } },
        body: requestExample("updateBusifavorStockBudget"),
      }),
  }),
  define({
    id: "uploadBusifavorCouponCodes",
    url: `/v3/marketing/busifavor/stocks/${STOCK}/couponcodes`,
    call: (c) =>
      c.POST("/v3/marketing/busifavor/stocks/{stock_id}/couponcodes", {
        params: { path: { stock_id: STOCK } },
        body: requestExample("uploadBusifavorCouponCodes"),
      }),
  }),
  define({
    id: "getBusifavorCallback",
    url: "/v3/marketing/busifavor/callbacks?mchid=1900000001",
    call: (c) =>
      c.GET("/v3/marketing/busifavor/callbacks", { params: { query: { mchid: "1900000001" } } }),
  }),
  define({
    id: "setBusifavorCallback",
    url: "/v3/marketing/busifavor/callbacks",
    call: (c) =>
      c.POST("/v3/marketing/busifavor/callbacks", { body: requestExample("setBusifavorCallback") }),
  }),
  define({
    id: "useBusifavorCoupon",
    url: "/v3/marketing/busifavor/coupons/use",
    call: (c) =>
      c.POST("/v3/marketing/busifavor/coupons/use", { body: requestExample("useBusifavorCoupon") }),
  }),
  define({
    id: "returnBusifavorCoupon",
    url: "/v3/marketing/busifavor/coupons/return",
    call: (c) =>
      c.POST("/v3/marketing/busifavor/coupons/return", {
        body: requestExample("returnBusifavorCoupon"),
      }),
  }),
  define({
    id: "deactivateBusifavorCoupon",
    url: "/v3/marketing/busifavor/coupons/deactivate",
    call: (c) =>
      c.POST("/v3/marketing/busifavor/coupons/deactivate", {
        body: requestExample("deactivateBusifavorCoupon"),
      }),
  }),
  define({
    id: "associateBusifavorCoupon",
    url: "/v3/marketing/busifavor/coupons/associate",
    call: (c) =>
      c.POST("/v3/marketing/busifavor/coupons/associate", {
        body: requestExample("associateBusifavorCoupon"),
      }),
  }),
  define({
    id: "disassociateBusifavorCoupon",
    url: "/v3/marketing/busifavor/coupons/disassociate",
    call: (c) =>
      c.POST("/v3/marketing/busifavor/coupons/disassociate", {
        body: requestExample("disassociateBusifavorCoupon"),
      }),
  }),
  define({
    id: "listBusifavorUserCoupons",
    url: `/v3/marketing/busifavor/users/${encodeURIComponent(OPENID)}/coupons?appid=${APPID}&stock_id=${STOCK}&coupon_state=SENDED&offset=0&limit=10`,
    call: (c) =>
      c.GET("/v3/marketing/busifavor/users/{openid}/coupons", {
        params: {
          path: { openid: OPENID },
          query: { appid: APPID, stock_id: STOCK, coupon_state: "SENDED", offset: 0, limit: 10 },
        },
      }),
  }),
  define({
    id: "getBusifavorUserCoupon",
    url: `/v3/marketing/busifavor/users/${encodeURIComponent(OPENID)}/coupons/sxxe34343434/appids/${APPID}`,
    call: (c) =>
      c.GET("/v3/marketing/busifavor/users/{openid}/coupons/{coupon_code}/appids/{appid}", {
        params: { path: { openid: OPENID, coupon_code: "sxxe34343434", appid: APPID } },
      }),
  }),
  define({
    id: "createBusifavorSubsidyPayReceipt",
    url: "/v3/marketing/busifavor/subsidy/pay-receipts",
    call: (c) =>
      c.POST("/v3/marketing/busifavor/subsidy/pay-receipts", {
        body: requestExample("createBusifavorSubsidyPayReceipt"),
      }),
  }),
  define({
    id: "getBusifavorSubsidyPayReceipt",
    url: "/v3/marketing/busifavor/subsidy/pay-receipts/1120200119165100000000000001",
    call: (c) =>
      c.GET("/v3/marketing/busifavor/subsidy/pay-receipts/{subsidy_receipt_id}", {
        params: { path: { subsidy_receipt_id: "1120200119165100000000000001" } },
      }),
  }),
  define({
    id: "createPayGiftUniqueThresholdActivity",
    url: "/v3/marketing/paygiftactivity/unique-threshold-activity",
    call: (c) =>
      c.POST("/v3/marketing/paygiftactivity/unique-threshold-activity", {
        body: requestExample("createPayGiftUniqueThresholdActivity"),
      }),
  }),
  define({
    id: "listPayGiftActivities",
    url: "/v3/marketing/paygiftactivity/activities?offset=0&limit=10&activity_status=ONGOING_ACT_STATUS",
    call: (c) =>
      c.GET("/v3/marketing/paygiftactivity/activities", {
        params: { query: { offset: 0, limit: 10, activity_status: "ONGOING_ACT_STATUS" } },
      }),
  }),
  define({
    id: "getPayGiftActivity",
    url: `/v3/marketing/paygiftactivity/activities/${ACTIVITY}`,
    call: (c) =>
      c.GET("/v3/marketing/paygiftactivity/activities/{activity_id}", {
        params: { path: { activity_id: ACTIVITY } },
      }),
  }),
  define({
    id: "listPayGiftActivityGoods",
    url: `/v3/marketing/paygiftactivity/activities/${ACTIVITY}/goods?offset=0&limit=20`,
    call: (c) =>
      c.GET("/v3/marketing/paygiftactivity/activities/{activity_id}/goods", {
        params: { path: { activity_id: ACTIVITY }, query: { offset: 0, limit: 20 } },
      }),
  }),
  define({
    id: "listPayGiftActivityMerchants",
    url: `/v3/marketing/paygiftactivity/activities/${ACTIVITY}/merchants?offset=0&limit=20`,
    call: (c) =>
      c.GET("/v3/marketing/paygiftactivity/activities/{activity_id}/merchants", {
        params: { path: { activity_id: ACTIVITY }, query: { offset: 0, limit: 20 } },
      }),
  }),
  define({
    id: "addPayGiftActivityMerchants",
    url: `/v3/marketing/paygiftactivity/activities/${ACTIVITY}/merchants/add`,
    call: (c) =>
      c.POST("/v3/marketing/paygiftactivity/activities/{activity_id}/merchants/add", {
        params: { path: { activity_id: ACTIVITY } },
        body: requestExample("addPayGiftActivityMerchants"),
      }),
  }),
  define({
    id: "deletePayGiftActivityMerchants",
    url: `/v3/marketing/paygiftactivity/activities/${ACTIVITY}/merchants/delete`,
    call: (c) =>
      c.POST("/v3/marketing/paygiftactivity/activities/{activity_id}/merchants/delete", {
        params: { path: { activity_id: ACTIVITY } },
        body: requestExample("deletePayGiftActivityMerchants"),
      }),
  }),
  define({
    id: "terminatePayGiftActivity",
    url: `/v3/marketing/paygiftactivity/activities/${ACTIVITY}/terminate`,
    call: (c) =>
      c.POST("/v3/marketing/paygiftactivity/activities/{activity_id}/terminate", {
        params: { path: { activity_id: ACTIVITY } },
      }),
  }),
  define({
    id: "buildPartnership",
    url: "/v3/marketing/partnerships/build",
    call: (c) =>
      c.POST("/v3/marketing/partnerships/build", {
        params: { header: { "Idempotency-Key": "buildreq_001" } },
        body: requestExample("buildPartnership"),
      }),
  }),
  define({
    id: "listPartnerships",
    url: `/v3/marketing/partnerships?partner=${encodeURIComponent('{"type":"APPID","appid":"wx4e1916a585d1f4e9"}')}&authorized_data=${encodeURIComponent('{"business_type":"BUSIFAVOR_STOCK"}')}&limit=5&offset=0`,
    call: (c) =>
      c.GET("/v3/marketing/partnerships", {
        params: {
          query: {
            partner: { type: "APPID", appid: "wx4e1916a585d1f4e9" },
            authorized_data: { business_type: "BUSIFAVOR_STOCK" },
            limit: 5,
            offset: 0,
          },
        },
      }),
  }),
  define({
    id: "sendBusifavorCoupon",
    url: "/v3/marketing/busifavor/coupons/send",
    call: (c) =>
      c.POST("/v3/marketing/busifavor/coupons/send", {
        body: requestExample("sendBusifavorCoupon"),
      }),
  }),
  define({
    id: "sendBusifavorConsumptionCard",
    url: "/v3/marketing/busifavor/coupons/pcard_000001/send",
    call: (c) =>
      c.POST("/v3/marketing/busifavor/coupons/{card_id}/send", {
        params: { path: { card_id: "pcard_000001" } },
        body: requestExample("sendBusifavorConsumptionCard"),
      }),
  }),
  define({
    id: "preSendBusifavorProductCoupon",
    url: "/v3/marketing/busifavor/product-coupons/pre-send",
    call: (c) =>
      c.POST("/v3/marketing/busifavor/product-coupons/pre-send", {
        body: requestExample("preSendBusifavorProductCoupon"),
      }),
  }),
  define({
    id: "sendBusifavorProductCoupon",
    url: "/v3/marketing/busifavor/product-coupons/send",
    call: (c) =>
      c.POST("/v3/marketing/busifavor/product-coupons/send", {
        body: requestExample("sendBusifavorProductCoupon"),
      }),
  }),
  define({
    id: "listBusifavorCouponCodes",
    url: `/v3/marketing/busifavor/stocks/${STOCK}/couponcodes?status=SENDED&offset=0&limit=20`,
    call: (c) =>
      c.GET("/v3/marketing/busifavor/stocks/{stock_id}/couponcodes", {
        params: { path: { stock_id: STOCK }, query: { status: "SENDED", offset: 0, limit: 20 } },
      }),
  }),
  define({
    id: "getBusifavorCouponCode",
    url: `/v3/marketing/busifavor/stocks/${STOCK}/couponcodes/ABC123456789?appid=${APPID}`,
    call: (c) =>
      c.GET("/v3/marketing/busifavor/stocks/{stock_id}/couponcodes/{coupon_code}", {
        params: { path: { stock_id: STOCK, coupon_code: "ABC123456789" }, query: { appid: APPID } },
      }),
  }),
  define({
    id: "deleteBusifavorCouponCode",
    url: `/v3/marketing/busifavor/stocks/${STOCK}/couponcodes/ABC123456789?delete_request_no=del_20250120_001`,
    call: (c) =>
      c.DELETE("/v3/marketing/busifavor/stocks/{stock_id}/couponcodes/{coupon_code}", {
        params: {
          path: { stock_id: STOCK, coupon_code: "ABC123456789" },
          query: { delete_request_no: "del_20250120_001" },
        },
      }),
  }),
  define({
    id: "listBusifavorSubsidyPayReceipts",
    url: `/v3/marketing/busifavor/subsidy/pay-receipts?stock_id=${STOCK}&coupon_code=ABC123456789`,
    call: (c) =>
      c.GET("/v3/marketing/busifavor/subsidy/pay-receipts", {
        params: { query: { stock_id: STOCK, coupon_code: "ABC123456789" } },
      }),
  }),
  define({
    id: "createBusifavorSubsidyReturnReceipt",
    url: "/v3/marketing/busifavor/subsidy/return-receipts",
    call: (c) =>
      c.POST("/v3/marketing/busifavor/subsidy/return-receipts", {
        body: requestExample("createBusifavorSubsidyReturnReceipt"),
      }),
  }),
  define({
    id: "getBusifavorSubsidyReturnReceipt",
    url: "/v3/marketing/busifavor/subsidy/return-receipts/1120200119165100000000000002",
    call: (c) =>
      c.GET("/v3/marketing/busifavor/subsidy/return-receipts/{subsidy_return_receipt_id}", {
        params: { path: { subsidy_return_receipt_id: "1120200119165100000000000002" } },
      }),
  }),
  define({
    id: "terminatePartnership",
    url: "/v3/marketing/partnerships/terminate",
    call: (c) =>
      c.POST("/v3/marketing/partnerships/terminate", {
        params: { header: { "Idempotency-Key": "terminatereq_001" } },
        body: requestExample("terminatePartnership"),
      }),
  }),
  define({
    id: "uploadMarketingImage",
    url: "/v3/marketing/favor/media/image-upload",
    call: (c) => c.uploadImage(PNG, "logo.png"),
  }),
  // 代金券 (cash coupons): the 18 operations under /v3/marketing/favor/.
  define({
    id: "createFavorStock",
    url: "/v3/marketing/favor/coupon-stocks",
    call: (c) =>
      c.POST("/v3/marketing/favor/coupon-stocks", { body: requestExample("createFavorStock") }),
  }),
  ...(["start", "pause", "restart"] as const).map((action) =>
    define({
      id: `${action}FavorStock` as const,
      url: `/v3/marketing/favor/stocks/${FAVOR_STOCK}/${action}`,
      call: (c) =>
        c.POST(`/v3/marketing/favor/stocks/{stock_id}/${action}`, {
          params: { path: { stock_id: FAVOR_STOCK } },
          body: { stock_creator_mchid: "1900000001" },
        }),
    }),
  ),
  define({
    id: "getFavorStock",
    url: `/v3/marketing/favor/stocks/${FAVOR_STOCK}?stock_creator_mchid=1900000001`,
    call: (c) =>
      c.GET("/v3/marketing/favor/stocks/{stock_id}", {
        params: { path: { stock_id: FAVOR_STOCK }, query: { stock_creator_mchid: "1900000001" } },
      }),
  }),
  define({
    id: "listFavorStocks",
    url: "/v3/marketing/favor/stocks?offset=0&limit=10&stock_creator_mchid=1900000001&status=running",
    call: (c) =>
      c.GET("/v3/marketing/favor/stocks", {
        params: {
          query: { offset: 0, limit: 10, stock_creator_mchid: "1900000001", status: "running" },
        },
      }),
  }),
  define({
    id: "listFavorStockMerchants",
    url: `/v3/marketing/favor/stocks/${FAVOR_STOCK}/merchants?offset=0&limit=10&stock_creator_mchid=1900000001`,
    call: (c) =>
      c.GET("/v3/marketing/favor/stocks/{stock_id}/merchants", {
        params: {
          path: { stock_id: FAVOR_STOCK },
          query: { offset: 0, limit: 10, stock_creator_mchid: "1900000001" },
        },
      }),
  }),
  define({
    id: "listFavorStockItems",
    url: `/v3/marketing/favor/stocks/${FAVOR_STOCK}/items?offset=0&limit=10&stock_creator_mchid=1900000001`,
    call: (c) =>
      c.GET("/v3/marketing/favor/stocks/{stock_id}/items", {
        params: {
          path: { stock_id: FAVOR_STOCK },
          query: { offset: 0, limit: 10, stock_creator_mchid: "1900000001" },
        },
      }),
  }),
  define({
    id: "updateFavorStockGoods",
    url: `/v3/marketing/favor/stocks/${FAVOR_STOCK}/modify-goods-id`,
    call: (c) =>
      c.POST("/v3/marketing/favor/stocks/{stock_id}/modify-goods-id", {
        params: { path: { stock_id: FAVOR_STOCK } },
        body: requestExample("updateFavorStockGoods"),
      }),
  }),
  define({
    id: "sendFavorCoupon",
    url: `/v3/marketing/favor/users/${encodeURIComponent(OPENID)}/coupons`,
    call: (c) =>
      c.POST("/v3/marketing/favor/users/{openid}/coupons", {
        params: { path: { openid: OPENID } },
        body: requestExample("sendFavorCoupon"),
      }),
  }),
  define({
    id: "listFavorCoupons",
    url: `/v3/marketing/favor/users/${encodeURIComponent(OPENID)}/coupons?appid=${APPID}&creator_mchid=1900000001&offset=0&limit=20`,
    call: (c) =>
      c.GET("/v3/marketing/favor/users/{openid}/coupons", {
        params: {
          path: { openid: OPENID },
          query: { appid: APPID, creator_mchid: "1900000001", offset: 0, limit: 20 },
        },
      }),
  }),
  define({
    id: "getFavorCoupon",
    url: `/v3/marketing/favor/users/${encodeURIComponent(OPENID)}/coupons/9856888?appid=${APPID}`,
    call: (c) =>
      c.GET("/v3/marketing/favor/users/{openid}/coupons/{coupon_id}", {
        params: { path: { openid: OPENID, coupon_id: "9856888" }, query: { appid: APPID } },
      }),
  }),
  ...(["use", "refund"] as const).map((kind) =>
    define({
      id: kind === "use" ? "getFavorUseFlow" : "getFavorRefundFlow",
      url: `/v3/marketing/favor/stocks/${FAVOR_STOCK}/${kind}-flow`,
      call: (c) =>
        c.GET(`/v3/marketing/favor/stocks/{stock_id}/${kind}-flow`, {
          params: { path: { stock_id: FAVOR_STOCK } },
        }),
    }),
  ),
  ...(["use", "refund"] as const).map((kind) =>
    define({
      id: kind === "use" ? "getFavorUseFlowByDay" : "getFavorRefundFlowByDay",
      url: `/v3/marketing/favor/stocks/${FAVOR_STOCK}/${kind}-flow-by-day?bill_date=2027-11-05`,
      call: (c) =>
        c.GET(`/v3/marketing/favor/stocks/{stock_id}/${kind}-flow-by-day`, {
          params: { path: { stock_id: FAVOR_STOCK }, query: { bill_date: "2027-11-05" } },
        }),
    }),
  ),
  define({
    id: "getFavorCallback",
    url: "/v3/marketing/favor/callbacks?mchid=1900000001",
    call: (c) =>
      c.GET("/v3/marketing/favor/callbacks", { params: { query: { mchid: "1900000001" } } }),
  }),
  define({
    id: "setFavorCallback",
    url: "/v3/marketing/favor/callbacks",
    call: (c) =>
      c.POST("/v3/marketing/favor/callbacks", { body: requestExample("setFavorCallback") }),
  }),
];

describe("every spec operation through createMarketingClient, on a real signing server", () => {
  const keys = generateTestKeys();
  let server: WechatpayTestServer;
  let client: MarketingClient;

  beforeAll(async () => {
    server = await startWechatpayServer(keys);
    client = createMarketingClient(server.clientOptions);
  });
  afterAll(() => server.close());

  it("has a case for every operation in the spec and none that is not", () => {
    expect(cases.map((c) => c.id).sort()).toEqual(
      specOperations()
        .map((o) => o.operationId)
        .sort(),
    );
  });

  it.each(cases.map((c) => [c.id, c] as const))("%s", async (id, c) => {
    const reply = responseExample(id);
    server.reply({ status: reply.status, body: reply.body });
    const before = server.received.length;
    const { data, error, response } = await c.call(client);

    expect(server.received.length).toBe(before + 1);
    const wire = server.received.at(-1);
    const { method, path } = docOperation(id);
    expect(wire?.method).toBe(method);
    expect(c.url.split("?")[0]).toMatch(
      new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+").replace(/[.]/g, "\\.")}$`),
    );
    expect(wire?.url).toBe(c.url);
    expect(wire?.signatureValid).toBe(true);
    expect(wire?.headers.accept).toBe("application/json");
    expect(wire?.headers["user-agent"]).toMatch(/@wechatpay-marketing\/signer/);
    expect(wire?.headers["wechatpay-serial"]).toBe(keys.platformKeyId);

    const media = Object.keys(docOperation(id).requestBody?.content ?? {})[0];
    if (media === "multipart/form-data") {
      const sha256 = createHash("sha256").update(PNG).digest("hex");
      expect(wire?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
      expect(wire?.signedBody).toBe(JSON.stringify({ filename: "logo.png", sha256 }));
      expect(wire?.body).toContain('name="file"; filename="logo.png"');
      expect(error).toBeUndefined();
      expect(response.status).toBe(reply.status);
      expect(data).toEqual(reply.body);
      return;
    }
    const body = docOperation(id).requestBody ? requestExample(id) : undefined;
    if (body === undefined) expect(wire?.body).toBe("");
    else {
      expect(wire?.headers["content-type"]).toMatch(/^application\/json/);
      expect(JSON.parse(wire?.body ?? "")).toEqual(body);
    }

    expect(error).toBeUndefined();
    expect(response.status).toBe(reply.status);
    expect(data).toEqual(reply.body);
  });

  it("sends the JSON-in-query parameters of list partnerships as JSON text", async () => {
    server.reply({ status: 200, body: { data: [], offset: 0, limit: 5, total_count: 0 } });
    await client.GET("/v3/marketing/partnerships", {
      params: { query: { authorized_data: { business_type: "FAVOR_STOCK", stock_id: "2433405" } } },
    });
    const query = server.received.at(-1)?.query;
    expect(JSON.parse(query?.get("authorized_data") ?? "")).toEqual({
      business_type: "FAVOR_STOCK",
      stock_id: "2433405",
    });
    expect(query?.has("authorized_data[business_type]")).toBe(false);
  });
});
