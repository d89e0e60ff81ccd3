/**
 * The attributes of the Mini Program send-coupon plug-in (小程序发券插件, `<send-coupon>`), built
 * on the merchant's server: the sign uses the APIv2 key, which must never reach the page.
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

/** A merchant coupon (商家券) to deliver. */
export interface BusifavorSendCouponParam {
  /** 批次号 */
  stock_id: string;
  /** 发券凭证: unique per stock and user; a reused one answers DUPREQUEST. */
  out_request_no: string;
  /** 券code: required when the stock's coupon_code_mode is MERCHANT_API, left out otherwise. */
  coupon_code?: string;
  /** RFC 3339: when the user got the coupon in your system; moves a relative validity period. */
  customize_send_time?: string;
  create_coupon_merchant?: never;
}

/** A cash coupon (代金券 / 支付券) to deliver. */
export interface FavorSendCouponParam {
  stock_id: string;
  out_request_no: string;
  /** 制券商户号: the merchant that created the cash-coupon stock (its stock_creator_mchid). */
  create_coupon_merchant: string;
  coupon_code?: never;
  customize_send_time?: never;
}

export type SendCouponParam = BusifavorSendCouponParam | FavorSendCouponParam;

export interface SendCouponInput {
  /** 发券商户号: the merchant whose APIv2 key signs (in partner mode, the service provider). */
  send_coupon_merchant: string;
  /** 1 to 10 coupons, in the order the plug-in shows them. */
  send_coupon_params: readonly SendCouponParam[];
}

/** Exactly the three attributes `<send-coupon>` needs: pass them to the page unchanged. */
export interface SendCouponPayload {
  send_coupon_params: SendCouponParam[];
  sign: string;
  send_coupon_merchant: string;
}

export const MAX_COUPONS_PER_CALL = 10;
const FIELDS = [
  "stock_id",
  "out_request_no",
  "coupon_code",
  "create_coupon_merchant",
  "customize_send_time",
] as const;

type Field = (typeof FIELDS)[number];

/** One coupon, checked, with empty optional fields left out (they are neither sent nor signed). */
function checkCoupon(value: unknown, at: string): Partial<Record<Field, string>> {
  const coupon = record(value, at);
  onlyKnownKeys(coupon, FIELDS, at);
  const checked: Partial<Record<Field, string | undefined>> = {
    stock_id: requiredText(coupon.stock_id, `${at}.stock_id`, RULES.stockId),
    out_request_no: requiredText(
      coupon.out_request_no,
      `${at}.out_request_no`,
      RULES.pluginRequestNo,
    ),
    coupon_code: optionalText(coupon.coupon_code, `${at}.coupon_code`, RULES.couponCode),
    create_coupon_merchant: optionalText(
      coupon.create_coupon_merchant,
      `${at}.create_coupon_merchant`,
      RULES.creatorMerchant,
    ),
    customize_send_time: optionalTime(coupon.customize_send_time, `${at}.customize_send_time`),
  };
  // create_coupon_merchant makes it a cash coupon; coupon_code and customize_send_time are
  // merchant-coupon fields.
  if (checked.create_coupon_merchant !== undefined) {
    for (const field of ["coupon_code", "customize_send_time"] as const) {
      if (checked[field] !== undefined) {
        throw new CouponDeliveryError(
          `${at}.${field}`,
          "conflict",
          "is a merchant-coupon (商家券) field; create_coupon_merchant makes this a cash coupon (代金券)",
        );
      }
    }
  }
  // The caller's key order, so the payload reads as it was written.
  const out: Partial<Record<Field, string>> = {};
  for (const key of Object.keys(coupon) as Field[]) {
    const v = checked[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** The coupons and merchant of a plug-in call, checked; throws CouponDeliveryError naming the field. */
export function checkSendCouponInput(input: unknown): {
  merchant: string;
  coupons: Partial<Record<Field, string>>[];
} {
  const call = record(input, "input");
  onlyKnownKeys(call, ["send_coupon_merchant", "send_coupon_params"], "", {
    sign: "is computed here; pass send_coupon_merchant and send_coupon_params only",
  });
  const merchant = requiredText(call.send_coupon_merchant, "send_coupon_merchant", RULES.merchant);
  const list = call.send_coupon_params;
  if (!Array.isArray(list)) {
    throw new CouponDeliveryError("send_coupon_params", "type", "must be an array of coupons");
  }
  if (list.length < 1 || list.length > MAX_COUPONS_PER_CALL) {
    throw new CouponDeliveryError(
      "send_coupon_params",
      "count",
      `must hold 1 to ${MAX_COUPONS_PER_CALL} coupons`,
    );
  }
  const coupons = list.map((c, i) => checkCoupon(c, `send_coupon_params[${i}]`));
  const seen = new Set<string>();
  coupons.forEach((c, i) => {
    const key = `${c.stock_id}\n${c.out_request_no}`;
    if (seen.has(key)) {
      throw new CouponDeliveryError(
        `send_coupon_params[${i}].out_request_no`,
        "duplicate",
        "repeats an earlier coupon's stock_id and out_request_no: the plug-in would answer DUPREQUEST",
      );
    }
    seen.add(key);
  });
  return { merchant, coupons };
}

/**
 * The parameters the plug-in signs: send_coupon_merchant, and each coupon's fields with its
 * index (0-based, array order) appended: stock_id0, out_request_no0, coupon_code1, …
 */
export function flattenSendCouponParams(
  merchant: string,
  coupons: readonly Partial<Record<string, string>>[],
): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = { send_coupon_merchant: merchant };
  coupons.forEach((coupon, i) => {
    for (const [name, value] of Object.entries(coupon)) params[`${name}${i}`] = value;
  });
  return params;
}

/**
 * Builds and signs the `<send-coupon>` attributes for 1 to 10 coupons with the APIv2 key of
 * `send_coupon_merchant`. Every field is checked first (CouponDeliveryError names the field);
 * empty optional fields are dropped from both the payload and the sign, so the two always match.
 * Build it per user session: the sign does not name the user.
 */
export async function buildSendCouponPayload(
  input: SendCouponInput,
  apiV2Key: string,
): Promise<SendCouponPayload> {
  const { merchant, coupons } = checkSendCouponInput(input);
  const sign = await signApiV2(flattenSendCouponParams(merchant, coupons), apiV2Key);
  return {
    send_coupon_params: coupons as SendCouponParam[],
    sign,
    send_coupon_merchant: merchant,
  };
}
