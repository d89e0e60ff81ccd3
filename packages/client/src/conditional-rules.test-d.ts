// The document's conditional rules (oneOf variants chosen by a tag) come out as discriminated
// unions: a combination the document refuses does not compile, and checking the tag narrows.
import { describe, expectTypeOf, it } from "vitest";
import type {
  BuildPartnershipRequest,
  BusifavorCouponUseRule,
  BusifavorFixedNormalCoupon,
  CreateBusifavorStockRequest,
  MarketingClient,
  PayGiftActivityAward,
  PayGiftActivityBaseInfo,
  PayGiftActivityUniqueThresholdAwardSendRule,
} from "./index.js";

declare const client: MarketingClient;
const idempotency = { header: { "Idempotency-Key": "build-1" } };

describe("partner: appid for APPID, merchant_id for MERCHANT", () => {
  it("compiles the documented combinations", () => {
    void client.POST("/v3/marketing/partnerships/build", {
      params: idempotency,
      body: {
        partner: { type: "APPID", appid: "wx4e1916a585d1f4e9" },
        authorized_data: { business_type: "FAVOR_STOCK", stock_id: "2433405" },
      },
    });
    void client.POST("/v3/marketing/partnerships/build", {
      params: idempotency,
      body: {
        partner: { type: "MERCHANT", merchant_id: "2480029552" },
        authorized_data: { business_type: "BUSIFAVOR_STOCK", stock_id: "98065001" },
      },
    });
  });

  it("refuses a partner without the ID its type needs", () => {
    const authorized_data = { business_type: "FAVOR_STOCK", stock_id: "2433405" } as const;
    // @ts-expect-error an APPID partner needs appid
    const appid: BuildPartnershipRequest = { partner: { type: "APPID" }, authorized_data };
    const merchant: BuildPartnershipRequest = {
      // @ts-expect-error a MERCHANT partner needs merchant_id, not only an appid
      partner: { type: "MERCHANT", appid: "wx4e1916a585d1f4e9" },
      authorized_data,
    };
    void [appid, merchant];
  });

  it("narrows on type", () => {
    const partner = {} as BuildPartnershipRequest["partner"];
    if (partner.type === "APPID") expectTypeOf(partner.appid).toEqualTypeOf<string>();
    else expectTypeOf(partner.merchant_id).toEqualTypeOf<string>();
  });
});

describe("authorized_data: a stock_id for both stock business types", () => {
  it("refuses authorised data without its stock", () => {
    const partner = { type: "APPID", appid: "wx4e1916a585d1f4e9" } as const;
    const favor: BuildPartnershipRequest = {
      partner,
      // @ts-expect-error a FAVOR_STOCK names its stock
      authorized_data: { business_type: "FAVOR_STOCK" },
    };
    const busifavor: BuildPartnershipRequest = {
      partner,
      // @ts-expect-error so does a BUSIFAVOR_STOCK
      authorized_data: { business_type: "BUSIFAVOR_STOCK" },
    };
    void [favor, busifavor];
  });
});

describe("the coupon rule matches stock_type", () => {
  const base = {
    stock_name: "8月1日活动券",
    belong_merchant: "1900008361",
    goods_name: "全场可用",
    stock_send_rule: { max_coupons: 100, max_coupons_per_user: 5 },
    out_request_no: "1900008361_20250801_0001",
    coupon_code_mode: "WECHATPAY_MODE",
  } as const;
  const time = {
    available_begin_time: "2025-08-01T00:00:00+08:00",
    available_end_time: "2025-08-31T23:59:59+08:00",
  };
  const fixed = { discount_amount: 500, transaction_minimum: 0 };

  it("compiles a NORMAL stock with its fixed-amount rule", () => {
    const body: CreateBusifavorStockRequest = {
      ...base,
      stock_type: "NORMAL",
      coupon_use_rule: {
        coupon_available_time: time,
        fixed_normal_coupon: fixed,
        use_method: "OFF_LINE",
      },
    };
    void client.POST("/v3/marketing/busifavor/stocks", { body });
  });

  it("refuses a rule of another stock type, a missing rule and a second rule", () => {
    // @ts-expect-error a DISCOUNT stock takes discount_coupon, not fixed_normal_coupon
    const discount: CreateBusifavorStockRequest = {
      ...base,
      stock_type: "DISCOUNT",
      coupon_use_rule: {
        coupon_available_time: time,
        fixed_normal_coupon: fixed,
        use_method: "OFF_LINE",
      },
    };
    const missing: CreateBusifavorStockRequest = {
      ...base,
      stock_type: "EXCHANGE",
      // @ts-expect-error an EXCHANGE stock needs exchange_coupon
      coupon_use_rule: { coupon_available_time: time, use_method: "OFF_LINE" },
    };
    const both: CreateBusifavorStockRequest = {
      ...base,
      stock_type: "NORMAL",
      // @ts-expect-error only the rule of the stock's type is allowed
      coupon_use_rule: {
        coupon_available_time: time,
        fixed_normal_coupon: fixed,
        discount_coupon: { discount_percent: 88, transaction_minimum: 0 },
        use_method: "OFF_LINE",
      },
    };
    void [discount, missing, both];
  });

  it("narrows on stock_type", () => {
    const body = {} as CreateBusifavorStockRequest;
    if (body.stock_type === "NORMAL")
      expectTypeOf(
        body.coupon_use_rule.fixed_normal_coupon,
      ).toEqualTypeOf<BusifavorFixedNormalCoupon>();
  });
});

describe("the Mini Program fields for MINI_PROGRAMS use and JUMP_MINI_APP activities", () => {
  const time = {
    available_begin_time: "2025-08-01T00:00:00+08:00",
    available_end_time: "2025-08-31T23:59:59+08:00",
  };

  it("needs mini_programs_appid and mini_programs_path for MINI_PROGRAMS, and only then", () => {
    const inStore: BusifavorCouponUseRule = { coupon_available_time: time, use_method: "OFF_LINE" };
    const inMiniProgram: BusifavorCouponUseRule = {
      coupon_available_time: time,
      use_method: "MINI_PROGRAMS",
      mini_programs_appid: "wx23232232323",
      mini_programs_path: "/path/index/index",
    };
    // @ts-expect-error MINI_PROGRAMS needs the Mini Program's AppID and path
    const incomplete: BusifavorCouponUseRule = {
      coupon_available_time: time,
      use_method: "MINI_PROGRAMS",
    };
    void [inStore, inMiniProgram, incomplete];
  });

  it("needs them for a JUMP_MINI_APP activity", () => {
    const base = {
      activity_name: "夏日满额送",
      activity_second_title: "满100送10",
      merchant_logo_url: "https://wxpaylogo.qpic.cn/wxpaylogo/logo/0",
      out_request_no: "1900000001_20250520_0001",
    };
    const store: PayGiftActivityBaseInfo = { ...base, delivery_purpose: "OFF_LINE_PAY" };
    const miniApp: PayGiftActivityBaseInfo = {
      ...base,
      delivery_purpose: "JUMP_MINI_APP",
      mini_programs_appid: "wx23232232323",
      mini_programs_path: "/pages/index",
    };
    // @ts-expect-error JUMP_MINI_APP needs the Mini Program
    const incomplete: PayGiftActivityBaseInfo = { ...base, delivery_purpose: "JUMP_MINI_APP" };
    void [store, miniApp, incomplete];
  });
});

describe("pay-gift awards: one for SINGLE_COUPON, 3 to 5 for GIFT_PACKAGE", () => {
  const rule = {
    award_type: "BUSIFAVOR",
    merchant_option: "IN_SEVICE_COUPON_MERCHANT",
    transaction_amount_minimum: 10000,
  } as const;
  const award: PayGiftActivityAward = { stock_id: "1212000000000000000" };
  type Rule = PayGiftActivityUniqueThresholdAwardSendRule;

  it("compiles the allowed counts", () => {
    const single: Rule = { ...rule, send_content: "SINGLE_COUPON", award_list: [award] };
    const three: Rule = {
      ...rule,
      send_content: "GIFT_PACKAGE",
      award_list: [award, award, award],
    };
    const five: Rule = {
      ...rule,
      send_content: "GIFT_PACKAGE",
      award_list: [award, award, award, award, award],
    };
    void [single, three, five];
  });

  it("refuses the others", () => {
    // @ts-expect-error SINGLE_COUPON gives exactly one award
    const two: Rule = { ...rule, send_content: "SINGLE_COUPON", award_list: [award, award] };
    // @ts-expect-error a GIFT_PACKAGE has at least 3 awards
    const pair: Rule = { ...rule, send_content: "GIFT_PACKAGE", award_list: [award, award] };
    const six: Rule = {
      ...rule,
      send_content: "GIFT_PACKAGE",
      // @ts-expect-error and at most 5
      award_list: [award, award, award, award, award, award],
    };
    // @ts-expect-error the awards are required
    const none: Rule = { ...rule, send_content: "SINGLE_COUPON" };
    void [two, pair, six, none];
  });
});
