// Request bodies that satisfy the document and its business rules, for the sandbox's own tests
// (sent raw) and the e2e tests (sent by the typed client): one copy for both, so that a rule the
// sandbox learns is followed by every test that creates a stock or an activity.
export const APPID = "wx8888888888888888";
const DAY = 86_400_000;

/** RFC 3339 in Beijing time, `days` from now. */
export function at(days: number, from = Date.now()): string {
  return `${new Date(from + days * DAY + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

let sequence = 0;
export const unique = (prefix: string) => `${prefix}${Date.now()}${++sequence}`;

// biome-ignore lint/suspicious/noExplicitAny: request bodies are deliberately loose in tests
type Loose = Record<string, any>;

/**
 * A NORMAL cash coupon stock starting now and lasting `days`: 10 yuan off from 100 yuan; its
 * budget is the face value times max_coupons, as WeChat Pay requires.
 */
export function favorStockBody(mchid: string, overrides: Loose = {}): Loose {
  const { stock_use_rule, coupon_use_rule, days = 30, ...rest } = overrides;
  const rule = { max_coupons: 10, max_coupons_per_user: 2, ...stock_use_rule };
  return {
    stock_name: "沙箱满100减10",
    belong_merchant: mchid,
    available_begin_time: at(0),
    available_end_time: at(days),
    stock_use_rule: {
      max_amount: 1000 * rule.max_coupons,
      natural_person_limit: false,
      prevent_api_abuse: false,
      ...rule,
    },
    pattern_info: { description: "全场通用" },
    coupon_use_rule: {
      fixed_normal_coupon: { coupon_amount: 1000, transaction_minimum: 10000 },
      ...coupon_use_rule,
    },
    no_cash: false,
    stock_type: "NORMAL",
    out_request_no: unique("favor"),
    ...rest,
  };
}

export function stockBody(mchid: string, overrides: Loose = {}): Loose {
  const { coupon_use_rule, stock_send_rule, ...rest } = overrides;
  return {
    stock_name: "沙箱满减券",
    belong_merchant: mchid,
    goods_name: "全场通用",
    stock_type: "NORMAL",
    coupon_use_rule: {
      coupon_available_time: { available_begin_time: at(-1), available_end_time: at(30) },
      fixed_normal_coupon: { discount_amount: 500, transaction_minimum: 1000 },
      use_method: "OFF_LINE",
      ...coupon_use_rule,
    },
    stock_send_rule: { max_coupons: 100, max_coupons_per_user: 5, ...stock_send_rule },
    out_request_no: unique("stock"),
    coupon_code_mode: "WECHATPAY_MODE",
    notify_config: { notify_appid: APPID },
    ...rest,
  };
}

/**
 * A pay-gift activity body. `logoUrl` must be a media_url the sandbox issued (see uploadLogo):
 * like WeChat Pay, it refuses any other logo.
 */
export function activityBody(logoUrl: string, stockIds: string[], overrides: Loose = {}): Loose {
  return {
    activity_base_info: {
      activity_name: "满100送5元券",
      activity_second_title: "到店消费可用",
      merchant_logo_url: logoUrl,
      begin_time: at(0),
      end_time: at(20),
      out_request_no: unique("act"),
      delivery_purpose: "OFF_LINE_PAY",
      ...overrides.activity_base_info,
    },
    award_send_rule: {
      award_type: "BUSIFAVOR",
      merchant_option: "MANUAL_INPUT_MERCHANT",
      transaction_amount_minimum: 10000,
      send_content: stockIds.length > 1 ? "GIFT_PACKAGE" : "SINGLE_COUPON",
      award_list: stockIds.map((stock_id) => ({ stock_id })),
      merchant_id_list: ["1900000001", "1900000002"],
      ...overrides.award_send_rule,
    },
  };
}
