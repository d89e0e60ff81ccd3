/**
 * What the plug-in hands `bind:sendcoupon` (`event.detail`): an outer `errcode` for the call and
 * one `code` per coupon. `errcode: "OK"` only means the call went through; read every coupon.
 */
import { CouponDeliveryError } from "./errors.js";
import { record } from "./fields.js";

/** Outer results of the call. FREQUENCY_LIMITED is only in community copies of the table. */
export const SEND_COUPON_ERRCODES = [
  "OK",
  "PARAM_ERROR",
  "USER_NOT_EXISTS",
  "USER_GET_FAILED",
  "SIGN_ERROR",
  "SYSTEMERROR",
  "FREQUENCY_LIMITED",
] as const;
export type SendCouponErrcode = (typeof SEND_COUPON_ERRCODES)[number];

/** Per-coupon results. EXPIRED is only in community copies of the table. */
export const SEND_COUPON_CODES = [
  "SUCCESS",
  "DUPREQUEST",
  "FAILED",
  "NOTENOUGH",
  "DAYLIMIT",
  "NATURELIMIT",
  "MAXQUOTA",
  "NOTRUNNING",
  "EXPIRED",
  "NOTMONEY",
  "USERLIMIT",
  "FREQUENCYLIMIT",
] as const;
export type SendCouponCode = (typeof SEND_COUPON_CODES)[number];
/** SUCCESS, and DUPREQUEST: this 发券凭证 already gave this user the coupon (treat as received). */
export type ReceivedCode = "SUCCESS" | "DUPREQUEST";
export type RefusedCode = Exclude<SendCouponCode, ReceivedCode>;

interface CouponResultFields {
  stock_id: string;
  out_request_no: string;
  /** The code now in the user's 卡包: keep it to query or redeem the coupon. */
  coupon_code?: string;
  message?: string;
}

/** One coupon's outcome: narrow on `status`, then `code` is typed. Unknown codes are not received. */
export type CouponSendResult =
  | (CouponResultFields & { status: "received"; code: ReceivedCode })
  | (CouponResultFields & { status: "refused"; code: RefusedCode })
  | (CouponResultFields & { status: "unknown"; code: string });

/** The call's outcome; `coupons` is empty unless the plug-in reported them. */
export type SendCouponResult =
  | { status: "ok"; errcode: "OK"; msg: string; coupons: CouponSendResult[] }
  | {
      status: "error";
      errcode: Exclude<SendCouponErrcode, "OK">;
      msg: string;
      coupons: CouponSendResult[];
    }
  | { status: "unknown"; errcode: string; msg: string; coupons: CouponSendResult[] };

// The numeric form of a sign failure the plug-in's backend (and the H5 page) answer: 签名错误.
const NUMERIC_SIGN_ERROR = 272758293;

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

function optionalString(item: Record<string, unknown>, name: string, at: string) {
  const value = item[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    throw new CouponDeliveryError(`${at}.${name}`, "malformed", "must be a string");
  }
  return value;
}

function couponResult(value: unknown, at: string): CouponSendResult {
  const item = record(value, at);
  const code = optionalString(item, "code", at);
  if (!code) throw new CouponDeliveryError(`${at}.code`, "malformed", "must be a non-empty string");
  const coupon_code = optionalString(item, "coupon_code", at);
  const message = optionalString(item, "message", at);
  const fields: CouponResultFields = {
    stock_id: optionalString(item, "stock_id", at) ?? "",
    out_request_no: optionalString(item, "out_request_no", at) ?? "",
    ...(coupon_code ? { coupon_code } : {}),
    ...(message ? { message } : {}),
  };
  if (code === "SUCCESS" || code === "DUPREQUEST") return { ...fields, status: "received", code };
  if (isOneOf(SEND_COUPON_CODES, code))
    return { ...fields, status: "refused", code: code as RefusedCode };
  return { ...fields, status: "unknown", code };
}

/**
 * Reads the plug-in's answer (`event.detail` of `bind:sendcoupon`, or the answer of a sandbox
 * delivery) into a typed result. The numeric 272758293 (签名错误) reads as SIGN_ERROR; codes this
 * package does not know are kept as `status: "unknown"`. A detail without `errcode`, or with
 * fields of the wrong type, throws CouponDeliveryError naming the field.
 */
export function parseSendCouponResult(detail: unknown): SendCouponResult {
  const d = record(detail, "detail");
  const raw = d.errcode;
  if (typeof raw !== "string" && typeof raw !== "number") {
    throw new CouponDeliveryError("detail.errcode", "malformed", "must be a string or a number");
  }
  const msg = d.msg ?? "";
  if (typeof msg !== "string") {
    throw new CouponDeliveryError("detail.msg", "malformed", "must be a string");
  }
  const list = d.send_coupon_result ?? [];
  if (!Array.isArray(list)) {
    throw new CouponDeliveryError("detail.send_coupon_result", "malformed", "must be an array");
  }
  const coupons = list.map((item, i) => couponResult(item, `detail.send_coupon_result[${i}]`));
  const errcode = raw === NUMERIC_SIGN_ERROR ? "SIGN_ERROR" : String(raw);
  if (errcode === "OK") return { status: "ok", errcode, msg, coupons };
  if (isOneOf(SEND_COUPON_ERRCODES, errcode)) {
    return { status: "error", errcode: errcode as Exclude<SendCouponErrcode, "OK">, msg, coupons };
  }
  return { status: "unknown", errcode, msg, coupons };
}
