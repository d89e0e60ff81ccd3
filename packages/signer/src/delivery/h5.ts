/**
 * The signed link of H5发券: the user opens it in WeChat, sees the coupon and taps 领券. Nothing
 * comes back to the merchant (query the user's coupons, or use JSAPI发券, to learn the outcome).
 */
import { signApiV2 } from "./apiv2.js";
import { CouponDeliveryError } from "./errors.js";
import {
  onlyKnownKeys,
  optionalText,
  optionalTime,
  RULES,
  record,
  requiredText,
} from "./fields.js";

export interface H5CouponInput {
  /** 商家券 stock id (H5发券 delivers merchant coupons only). */
  stock_id: string;
  /** 发券凭证: letters and digits only on this channel. */
  out_request_no: string;
  send_coupon_merchant: string;
  /** The user's OpenID (spelt `open_id`: `openid` fails), from an AppID bound to the sending or belong merchant. */
  open_id: string;
  /** Required, in the URL and in the sign, when the stock's coupon_code_mode is MERCHANT_API. */
  coupon_code?: string;
  /**
   * Experimental: the H5 page prints this row as `customize_send_time{n}`; it is sent and
   * signed as `customize_send_time`, which no published example confirms.
   */
  customize_send_time?: string;
}

/** The URL fragment the WeChat client needs (268435461 without it); it is not signed. */
export type H5CouponFragment = `#${string}wechat_redirect`;

export interface H5CouponUrlOptions {
  /**
   * Default `#wechat_pay&wechat_redirect`, as the current official pages write it; older pages
   * and SDKs use `#wechat_redirect`.
   */
  fragment?: H5CouponFragment;
  /** Default `https://action.weixin.qq.com`; point it at a sandbox to try the flow locally. */
  baseUrl?: string;
}

export const H5_COUPON_FRAGMENT: H5CouponFragment = "#wechat_pay&wechat_redirect";
export const H5_COUPON_PATH = "/busifavor/getcouponinfo";
const DEFAULT_BASE_URL = "https://action.weixin.qq.com";
// Query order of the official example; the sign does not depend on it.
const ORDER = [
  "stock_id",
  "out_request_no",
  "sign",
  "send_coupon_merchant",
  "open_id",
  "coupon_code",
  "customize_send_time",
] as const;

/** The H5 parameters, checked; throws CouponDeliveryError naming the field. */
export function checkH5CouponInput(input: unknown): Record<string, string | undefined> {
  const call = record(input, "input");
  onlyKnownKeys(
    call,
    ORDER.filter((k) => k !== "sign"),
    "",
    {
      openid: "H5发券 spells it open_id (openid fails with 268435461)",
      sign: "is computed here; leave it out",
    },
  );
  return {
    stock_id: requiredText(call.stock_id, "stock_id", RULES.stockId),
    out_request_no: requiredText(call.out_request_no, "out_request_no", RULES.h5RequestNo),
    send_coupon_merchant: requiredText(
      call.send_coupon_merchant,
      "send_coupon_merchant",
      RULES.merchant,
    ),
    open_id: requiredText(call.open_id, "open_id", RULES.openId),
    coupon_code: optionalText(call.coupon_code, "coupon_code", RULES.couponCode),
    customize_send_time: optionalTime(call.customize_send_time, "customize_send_time"),
  };
}

function checkOptions(options: H5CouponUrlOptions): { base: string; fragment: string } {
  const fragment = options.fragment ?? H5_COUPON_FRAGMENT;
  if (typeof fragment !== "string" || !/^#[\x21-\x7e]*wechat_redirect$/.test(fragment)) {
    throw new CouponDeliveryError(
      "options.fragment",
      "format",
      "must start with # and end with wechat_redirect, e.g. #wechat_pay&wechat_redirect",
    );
  }
  const base = options.baseUrl ?? DEFAULT_BASE_URL;
  let url: URL | undefined;
  try {
    url = new URL(base);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash) {
    throw new CouponDeliveryError(
      "options.baseUrl",
      "format",
      "must be an http(s) URL without query or fragment",
    );
  }
  return { base: base.replace(/\/+$/, ""), fragment };
}

/**
 * The signed H5发券 URL: `https://action.weixin.qq.com/busifavor/getcouponinfo?…#wechat_pay&wechat_redirect`.
 * Values are percent-encoded in the URL and signed raw; empty optional fields are left out of both.
 */
export async function buildH5CouponUrl(
  input: H5CouponInput,
  apiV2Key: string,
  options: H5CouponUrlOptions = {},
): Promise<string> {
  const params = checkH5CouponInput(input);
  const { base, fragment } = checkOptions(options);
  const sign = await signApiV2(params, apiV2Key);
  const values: Record<string, string | undefined> = { ...params, sign };
  const query = ORDER.flatMap((name) => {
    const value = values[name];
    return value === undefined ? [] : [`${name}=${encodeURIComponent(value)}`];
  }).join("&");
  return `${base}${H5_COUPON_PATH}?${query}${fragment}`;
}
