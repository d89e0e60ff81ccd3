import { WechatpayError } from "../errors.js";

export type CouponDeliveryReason =
  | "missing"
  | "type"
  | "length"
  | "charset"
  | "format"
  | "count"
  | "unknown-field"
  | "duplicate"
  | "conflict"
  | "malformed";

/**
 * A coupon-delivery input that cannot be signed, or a plug-in answer that cannot be read.
 * `field` names the field at fault (`send_coupon_params[2].out_request_no`, `apiV2Key`,
 * `detail.errcode`); the message states the rule, never the value, so it is safe to log.
 */
export class CouponDeliveryError extends WechatpayError {
  declare readonly field: string;
  declare readonly reason: CouponDeliveryReason;

  constructor(field: string, reason: CouponDeliveryReason, rule: string) {
    super("COUPON_DELIVERY_INVALID", `${field}: ${rule}`, {
      name: "CouponDeliveryError",
      field,
      reason,
    });
  }
}
