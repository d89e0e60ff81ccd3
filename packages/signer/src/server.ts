/**
 * The WeChat Pay side of the scheme, for the local sandbox and for tests: check a merchant's
 * Authorization header, sign answers and notifications with a platform key, encrypt
 * resources. Kept out of the main entry so merchant bundles do not carry it.
 */
export type { EncryptedResource } from "./aead.js";
export { encryptResource } from "./aead.js";
export { signNotification } from "./notification.js";
export type { AuthorizationParts } from "./signing.js";
export {
  MAX_AUTHORIZATION_LENGTH,
  parseAuthorization,
  signResponse,
  verifyAuthorization,
  verifySignature,
} from "./signing.js";
