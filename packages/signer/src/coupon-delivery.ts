/**
 * `@wechatpay-marketing/signer/coupon-delivery`: delivering coupons to users through the Mini
 * Program send-coupon plug-in (小程序发券插件) and H5发券, for the merchant's server. Both channels
 * follow the APIv2 rules: HMAC-SHA256 with the APIv2 key (not the APIv3 key, not RSA), computed
 * with WebCrypto. Its own entry point, so the main entry stays small.
 */
export type { ApiV2Params } from "./delivery/apiv2.js";
export { signApiV2 } from "./delivery/apiv2.js";
export type { CouponDeliveryReason } from "./delivery/errors.js";
export { CouponDeliveryError } from "./delivery/errors.js";
export type { H5CouponFragment, H5CouponInput, H5CouponUrlOptions } from "./delivery/h5.js";
export { buildH5CouponUrl, H5_COUPON_FRAGMENT } from "./delivery/h5.js";
export type {
  BusifavorSendCouponParam,
  FavorSendCouponParam,
  SendCouponInput,
  SendCouponParam,
  SendCouponPayload,
} from "./delivery/plugin.js";
export { buildSendCouponPayload, MAX_COUPONS_PER_CALL } from "./delivery/plugin.js";
export type {
  CouponSendResult,
  ReceivedCode,
  RefusedCode,
  SendCouponCode,
  SendCouponErrcode,
  SendCouponResult,
} from "./delivery/result.js";
export {
  parseSendCouponResult,
  SEND_COUPON_CODES,
  SEND_COUPON_ERRCODES,
} from "./delivery/result.js";
