export type { EncryptedResource } from "./aead.js";
export { decryptResource } from "./aead.js";
export type {
  MerchantCredentials,
  PlatformKeys,
  SignerOptions,
  VerificationOptions,
  WechatpayPublicKey,
} from "./credentials.js";
export { buildAuthorization, createMerchantCredentials } from "./credentials.js";
export type { BodyInit, HeadersLike } from "./encoding.js";
export type { DecryptionReason, SignatureVerificationReason } from "./errors.js";
export {
  ConfigError,
  DecryptionError,
  SignatureVerificationError,
  WechatpayError,
} from "./errors.js";
// Types of the sub-entries (./fetch, ./media, ./sensitive) stay importable from here.
export type { SignedFetchOptions } from "./fetch.js";
export type { SignerMiddleware } from "./http.js";
export { createSignerMiddleware, signRequest, verifyResponse } from "./http.js";
export type { ImageUpload } from "./media.js";
export type { Notification, NotificationOptions } from "./notification.js";
export { parseNotification } from "./notification.js";
export type { PlatformPublicKey } from "./sensitive.js";
export type { SignRequestInput } from "./signing.js";
export { buildSignMessage, generateNonce, verifySignature } from "./signing.js";
export { VERSION } from "./version.js";
