// Every type a client user meets in the client's own signatures, so nobody imports the signer for
// a type: the options (MarketingClientOptions extends SignerOptions), parseNotification's options
// and result, and the error reasons.
export type {
  DecryptionReason,
  FetchLike,
  HeadersLike,
  Notification,
  NotificationOptions,
  ResponseLike,
  SignatureVerificationReason,
  SignerOptions,
  VerificationOptions,
  WechatpayPublicKey,
} from "@wechatpay-marketing/signer";
export {
  BodyTooLargeError,
  ConfigError,
  DecryptionError,
  type PlatformKeySource,
  SignatureVerificationError,
  WechatpayError,
} from "@wechatpay-marketing/signer";
export { ApiError, type ApiErrorDetail, TransportError } from "@wechatpay-marketing/signer/fetch";
export {
  BillDownloadError,
  type BillDownloadReason,
  type BillFile,
  type BillLink,
} from "./bills.js";
export type { CallOptions } from "./call.js";
export {
  createMarketingClient,
  DEFAULT_BASE_URL,
  type ImageUploadResult,
  type MarketingClient,
  type MarketingClientOptions,
  type StrictMarketingClient,
} from "./client.js";
export { BACKUP_BASE_URL } from "./failover.js";
export type { components, operations, paths, webhooks } from "./generated/marketing.gen.js";
export type * from "./generated/schemas.gen.js";
export type { CallLogEntry, CallLogger } from "./logging.js";
export type {
  MarketingMethod,
  MarketingRequest,
  MarketingResponse,
  RequestOptions,
  StrictMarketingMethod,
  StrictMarketingRequest,
  StrictResponse,
  SuccessData,
} from "./methods.js";
export { createNotificationHandler, type NotificationHandler } from "./notification-handler.js";
export {
  type NotificationAnswer,
  type NotificationEventHandler,
  type NotificationHandlerOptions,
  type NotificationLogEntry,
  type NotificationOutcome,
  RawBodyUnavailableError,
} from "./notification-receiver.js";
export {
  createMemoryNotificationStore,
  DEFAULT_NOTIFICATION_TTL_MS,
  type NotificationClaim,
  type NotificationStore,
} from "./notification-store.js";
export {
  type MarketingEventType,
  type MarketingNotification,
  type NotificationRequest,
  type NotificationResources,
  parseNotification,
  UnsupportedEventError,
} from "./notifications.js";
export type {
  MarketingPaginate,
  PaginatedItem,
  PaginatedParams,
  PaginatedPath,
  PaginatedQuery,
  PaginateOptions,
} from "./paginate.js";
export { serializeQuery } from "./query.js";
export { DEFAULT_RETRY, type RetryOptions, type RetryPolicy } from "./retry.js";
export { DEFAULT_TIMEOUT_MS, TimeoutError } from "./timeout.js";
