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
export type {
  ApiErrorDetail,
  DecryptionReason,
  SignatureVerificationReason,
} from "./errors.js";
export {
  ApiError,
  ConfigError,
  DecryptionError,
  SignatureVerificationError,
  WechatpayError,
} from "./errors.js";
export type { SignedFetchOptions, SignerMiddleware } from "./http.js";
export { createSignedFetch, createSignerMiddleware, signRequest, verifyResponse } from "./http.js";
export type { ImageUpload } from "./media.js";
export { buildImageUpload, IMAGE_UPLOAD_PATH } from "./media.js";
export type { Notification, NotificationOptions } from "./notification.js";
export { parseNotification } from "./notification.js";
export type { PlatformPublicKey } from "./sensitive.js";
export { decryptSensitiveField, encryptSensitiveField } from "./sensitive.js";
export type { SignRequestInput } from "./signing.js";
export { buildSignMessage, generateNonce, verifySignature } from "./signing.js";
export { VERSION } from "./version.js";
