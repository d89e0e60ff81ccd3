export {
  ConfigError,
  DecryptionError,
  SignatureVerificationError,
  WechatpayError,
} from "@wechatpay-marketing/signer";
export { ApiError, type ApiErrorDetail } from "@wechatpay-marketing/signer/fetch";
export {
  BillDownloadError,
  type BillDownloadReason,
  type BillFile,
  type BillLink,
} from "./bills.js";
export {
  createMarketingClient,
  DEFAULT_BASE_URL,
  type ImageUploadResult,
  type MarketingClient,
  type MarketingClientOptions,
} from "./client.js";
export type { components, operations, paths, webhooks } from "./generated/marketing.gen.js";
export type * from "./generated/schemas.gen.js";
export {
  type MarketingEventType,
  type MarketingNotification,
  type NotificationRequest,
  type NotificationResources,
  parseNotification,
  UnsupportedEventError,
} from "./notifications.js";
export { serializeQuery } from "./query.js";
