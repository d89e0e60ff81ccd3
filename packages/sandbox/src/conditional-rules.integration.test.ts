// The document's conditional rules, enforced by the sandbox from the document: over real HTTP on
// 127.0.0.1, a signed body that breaks one is refused with PARAM_ERROR naming the field, and the
// same body with the rule kept passes the validator. The typed client would not compile these
// bodies, so they are sent raw.
import { activityBody, stockBody, unique } from "@wechatpay-marketing/test-fixtures";
import { beforeAll, describe, expect, it } from "vitest";
import { sandboxForFile } from "../test/harness.js";
import { type RawAnswer, sendSigned, uploadLogo } from "../test/raw-http.js";

const h = sandboxForFile();

/** The PARAM_ERROR detail of a refused request. */
function refused(answer: RawAnswer) {
  expect(answer.status, answer.text).toBe(400);
  expect(answer.json?.code).toBe("PARAM_ERROR");
  return answer.json.detail as { field: string; location: string; issue: string };
}

/** Passed the validator: a success, or a business answer that is not about the request's shape. */
function accepted(answer: RawAnswer) {
  expect(answer.json?.code, answer.text).not.toBe("PARAM_ERROR");
}

const STOCKS = "/v3/marketing/busifavor/stocks";

describe("partner and authorised data of 建立合作关系", () => {
  const build = (body: unknown) =>
    sendSigned(h.sandbox, "POST", "/v3/marketing/partnerships/build", body, {
      "Idempotency-Key": unique("build"),
    });
  const stock = { business_type: "FAVOR_STOCK", stock_id: "2433405" };

  it("refuses an APPID partner without appid and a MERCHANT partner without merchant_id", async () => {
    expect(
      refused(await build({ partner: { type: "APPID" }, authorized_data: stock })),
    ).toMatchObject({ field: "/partner/appid", location: "body" });
    const merchant = refused(
      await build({
        partner: { type: "MERCHANT", appid: "wx4e1916a585d1f4e9" },
        authorized_data: stock,
      }),
    );
    expect(merchant).toMatchObject({ field: "/partner/merchant_id", location: "body" });
    expect(merchant.issue).toContain("merchant_id");
  });

  it("names the tag when it is missing or not one of the kinds", async () => {
    expect(
      refused(await build({ partner: { appid: "wx1" }, authorized_data: stock })),
    ).toMatchObject({ field: "/partner/type", issue: expect.stringContaining("is required") });
    expect(
      refused(await build({ partner: { type: "OPENID", appid: "wx1" }, authorized_data: stock })),
    ).toMatchObject({ field: "/partner/type", issue: expect.stringContaining("allowed values") });
  });

  it("refuses authorised data of either stock type without stock_id", async () => {
    const partner = { type: "APPID", appid: "wx4e1916a585d1f4e9" };
    for (const business_type of ["FAVOR_STOCK", "BUSIFAVOR_STOCK"])
      expect(refused(await build({ partner, authorized_data: { business_type } }))).toMatchObject({
        field: "/authorized_data/stock_id",
      });
  });

  it("lets the documented combinations through", async () => {
    accepted(
      await build({
        partner: { type: "APPID", appid: "wx4e1916a585d1f4e9" },
        authorized_data: stock,
      }),
    );
    accepted(
      await build({
        partner: { type: "MERCHANT", merchant_id: "2480029552" },
        authorized_data: stock,
      }),
    );
  });
});

describe("the coupon rule of 创建商家券 follows stock_type", () => {
  const create = (overrides: Record<string, unknown>) =>
    sendSigned(h.sandbox, "POST", STOCKS, stockBody(h.sandbox.mchid, overrides));

  it("refuses a stock without the rule of its type", async () => {
    // stockBody's rule is a fixed-amount one (fixed_normal_coupon).
    expect(refused(await create({ stock_type: "DISCOUNT" }))).toMatchObject({
      field: "/coupon_use_rule/discount_coupon",
      issue: expect.stringContaining("is required"),
    });
  });

  it("refuses a second rule next to the one of its type", async () => {
    const detail = refused(
      await create({
        coupon_use_rule: { exchange_coupon: { exchange_price: 100, transaction_minimum: 0 } },
      }),
    );
    expect(detail).toMatchObject({ field: "/coupon_use_rule/exchange_coupon", location: "body" });
    expect(detail.issue).toContain("not allowed");
  });

  it("refuses an unknown stock_type, naming it", async () => {
    expect(refused(await create({ stock_type: "FREE" }))).toMatchObject({ field: "/stock_type" });
  });

  it("creates each type with its own rule", async () => {
    accepted(await create({}));
    const { fixed_normal_coupon: _fixed, ...rest } = stockBody(h.sandbox.mchid).coupon_use_rule;
    accepted(
      await sendSigned(h.sandbox, "POST", STOCKS, {
        ...stockBody(h.sandbox.mchid),
        stock_type: "DISCOUNT",
        coupon_use_rule: {
          ...rest,
          discount_coupon: { discount_percent: 88, transaction_minimum: 0 },
        },
      }),
    );
  });

  it("needs the Mini Program for use_method MINI_PROGRAMS, and only then", async () => {
    expect(
      refused(await create({ coupon_use_rule: { use_method: "MINI_PROGRAMS" } })),
    ).toMatchObject({
      field: "/coupon_use_rule/mini_programs_appid",
    });
    accepted(
      await create({
        coupon_use_rule: {
          use_method: "MINI_PROGRAMS",
          mini_programs_appid: "wx23232232323",
          mini_programs_path: "/path/index/index",
        },
      }),
    );
  });
});

describe("创建全场满额送活动: the Mini Program for JUMP_MINI_APP, the number of awards", () => {
  let logo: string;
  let stocks: string[];
  beforeAll(async () => {
    logo = await uploadLogo(h.sandbox);
    stocks = [];
    for (let i = 0; i < 6; i++) {
      const created = await sendSigned(h.sandbox, "POST", STOCKS, stockBody(h.sandbox.mchid));
      expect(created.status, created.text).toBe(200);
      stocks.push(created.json.stock_id as string);
    }
  });
  const create = (body: unknown) =>
    sendSigned(h.sandbox, "POST", "/v3/marketing/paygiftactivity/unique-threshold-activity", body);

  it("needs mini_programs_appid and mini_programs_path for JUMP_MINI_APP", async () => {
    const body = activityBody(logo, stocks.slice(0, 1), {
      activity_base_info: { delivery_purpose: "JUMP_MINI_APP" },
    });
    expect(refused(await create(body))).toMatchObject({
      field: "/activity_base_info/mini_programs_appid",
    });
  });

  it("gives exactly one award for SINGLE_COUPON", async () => {
    const two = activityBody(logo, stocks.slice(0, 2), {
      award_send_rule: { send_content: "SINGLE_COUPON" },
    });
    expect(refused(await create(two))).toMatchObject({ field: "/award_send_rule/award_list" });
    accepted(await create(activityBody(logo, stocks.slice(0, 1))));
  });

  it("gives 3 to 5 awards for GIFT_PACKAGE", async () => {
    for (const count of [2, 6])
      expect(
        refused(
          await create(
            activityBody(logo, stocks.slice(0, count), {
              award_send_rule: { send_content: "GIFT_PACKAGE" },
            }),
          ),
        ),
      ).toMatchObject({ field: "/award_send_rule/award_list" });
    accepted(await create(activityBody(logo, stocks.slice(0, 3))));
  });

  it("needs the awards at all", async () => {
    const { award_list: _awards, ...rule } = activityBody(logo, stocks.slice(0, 1)).award_send_rule;
    const body = { ...activityBody(logo, stocks.slice(0, 1)), award_send_rule: rule };
    expect(refused(await create(body))).toMatchObject({ field: "/award_send_rule/award_list" });
  });
});
