/**
 * One coupon of a plug-in or H5 delivery: the store's issuance rules (budget, daily and per-user
 * limits, state, code mode), answered with the plug-in's per-coupon codes instead of API errors.
 */
import { BusinessError, parseTime } from "../reply.js";
import type { CouponRecord, SandboxStore } from "../store.js";
import type { CouponRequest } from "./wire.js";

export type SendChannel = "BUSICOUPON_SEND_CHANNEL_MINIAPP" | "BUSICOUPON_SEND_CHANNEL_H5";

/** One item of `send_coupon_result`. */
export interface CouponAnswer {
  stock_id: string;
  out_request_no: string;
  coupon_code?: string;
  code: string;
  message: string;
}

export interface DeliveryTarget {
  store: SandboxStore;
  openid: string;
  appid: string;
  channel: SendChannel;
  couponSent(coupon: CouponRecord, channel: SendChannel): void;
}

/**
 * The store's issuance refusals (their detail.field) as the plug-in's codes. An expired stock
 * is NOTRUNNING, as the plug-in table explains it (EXPIRED is only in community copies).
 */
const CODE_OF_RULE: Record<string, string> = {
  stock_state: "NOTRUNNING",
  available_end_time: "NOTRUNNING",
  "stock_send_rule.max_coupons": "NOTENOUGH",
  "stock_send_rule.max_amount": "NOTENOUGH",
  coupon_code_count: "NOTENOUGH",
  "stock_send_rule.max_coupons_by_day": "DAYLIMIT",
  "stock_send_rule.max_amount_by_day": "DAYLIMIT",
  "stock_send_rule.max_coupons_per_user": "MAXQUOTA",
};

export function deliverCoupon(target: DeliveryTarget, request: CouponRequest): CouponAnswer {
  const { store, openid } = target;
  const answer = (code: string, message: string, coupon_code?: string): CouponAnswer => ({
    stock_id: request.stock_id,
    out_request_no: request.out_request_no,
    ...(coupon_code ? { coupon_code } : {}),
    code,
    message,
  });
  if (request.create_coupon_merchant !== undefined) {
    return answer("FAILED", `代金券批次不存在: ${request.stock_id} (沙箱只模拟商家券)`);
  }
  const stock = store.stocks.get(request.stock_id);
  if (!stock) return answer("FAILED", `批次不存在: ${request.stock_id}`);
  const mode = stock.definition.coupon_code_mode as string;
  if (request.coupon_code !== undefined && mode !== "MERCHANT_API") {
    return answer("FAILED", `批次的券code模式为 ${mode}，不能指定 coupon_code`);
  }
  if (request.coupon_code !== undefined) {
    // A merchant code given twice is a repeated issuance when this user holds it (the FAQ's
    // reading of DUPREQUEST); held by someone else, it cannot be issued.
    const holder = store.coupons.get(`${stock.stock_id}/${request.coupon_code}`);
    if (holder) {
      return holder.openid === openid
        ? answer("DUPREQUEST", "该券code已发放给该用户", holder.coupon_code)
        : answer("FAILED", "券code已被其他用户领取");
    }
  }
  try {
    const { coupon, created } = store.issueCoupon({
      stock_id: stock.stock_id,
      openid,
      appid: target.appid,
      send_request_no: request.out_request_no,
      coupon_code: request.coupon_code,
      sendRequestNoPerUser: true,
      validFrom:
        request.customize_send_time === undefined
          ? undefined
          : parseTime(request.customize_send_time),
    });
    if (!created) return answer("DUPREQUEST", "该发券凭证已为该用户发过券", coupon.coupon_code);
    target.couponSent(coupon, target.channel);
    return answer("SUCCESS", "发券成功", coupon.coupon_code);
  } catch (error) {
    if (!(error instanceof BusinessError)) throw error;
    return answer(CODE_OF_RULE[error.detail?.field ?? ""] ?? "FAILED", error.message);
  }
}
