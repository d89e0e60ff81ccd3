// Shared by the sandbox's tests: request bodies that satisfy the document, and a client wired to
// a sandbox that records, per operation, whether it has answered a success and an error.
import { createMarketingClient, type MarketingClient } from "@wechatpay-marketing/client";
import { type Sandbox, type SandboxOptions, startSandbox } from "../src/index.js";

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

export function activityBody(stockIds: string[], overrides: Loose = {}): Loose {
  return {
    activity_base_info: {
      activity_name: "满100送5元券",
      activity_second_title: "到店消费可用",
      merchant_logo_url: "https://wxpaylogo.qpic.cn/wxpaylogo/sandbox/0",
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

export interface Harness {
  sandbox: Sandbox;
  client: MarketingClient;
  /** operationId -> the kinds of answers seen ("success" for 2xx, "error" for 4xx/5xx). */
  outcomes: Map<string, Set<"success" | "error">>;
}

export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
  const outcomes = new Map<string, Set<"success" | "error">>();
  const sandbox = await startSandbox({
    strictResponses: true,
    notificationRetryDelaysMs: [10, 20, 40],
    ...options,
    onRequest(entry) {
      options.onRequest?.(entry);
      if (!entry.operationId) return;
      const seen = outcomes.get(entry.operationId) ?? new Set();
      seen.add(entry.status < 300 ? "success" : "error");
      outcomes.set(entry.operationId, seen);
    },
  });
  return { sandbox, client: createMarketingClient(sandbox.clientOptions), outcomes };
}
