export type { EncryptedResource } from "./aead.js";
export { decryptResource } from "./aead.js";
export type { FetchLike, ResponseLike } from "./body.js";
export type {
  MerchantCredentials,
  SignerOptions,
  Verification,
  VerificationOptions,
} from "./credentials.js";
export { buildAuthorization, createMerchantCredentials } from "./credentials.js";
export type { BodyInit, HeadersLike } from "./encoding.js";
export type { DecryptionReason, SignatureVerificationReason } from "./errors.js";
export {
  BodyTooLargeError,
  ConfigError,
  DecryptionError,
  SignatureVerificationError,
  WechatpayError,
} from "./errors.js";
// Types of the sub-entries (./middleware, ./fetch, ./media, ./sensitive) stay importable here.
export type { SignedFetchOptions } from "./fetch.js";
export type { ImageUpload } from "./media.js";
export type { SignerMiddleware } from "./middleware.js";
export type { Notification, NotificationOptions } from "./notification.js";
export { parseNotification } from "./notification.js";
export type {
  PlatformKeyOptions,
  PlatformKeySource,
  TrustedKeys,
  WechatpayPublicKey,
} from "./platform-keys.js";
export type { PlatformPublicKey } from "./sensitive.js";
export type { SignRequestInput } from "./signing.js";
export { buildSignMessage, generateNonce } from "./signing.js";
export { VERSION } from "./version.js";
export type { TimeWindow } from "./window.js";
