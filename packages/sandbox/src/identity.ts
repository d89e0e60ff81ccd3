import { randomBytes } from "node:crypto";
import { platformSigningSerial } from "./answer-signing.js";
import {
  createPlatformCertificate,
  generateRsaKeyPair,
  publicKeyOf,
  randomSerial,
} from "./keys.js";
import type { SandboxOptions } from "./server.js";

export type IdentityOptions = Pick<
  SandboxOptions,
  | "mchid"
  | "serialNo"
  | "merchantPrivateKey"
  | "merchantPublicKey"
  | "platformPrivateKey"
  | "wechatpayPublicKeyId"
  | "platformKeyMode"
  | "apiV3Key"
  | "apiV2Key"
  | "controlToken"
>;

/** The merchant's and the platform's keys and secrets: the options', or fresh ones. */
export async function resolveIdentity(options: IdentityOptions) {
  const mchid = options.mchid ?? "1900000001";
  const merchantPrivateKey = options.merchantPrivateKey ?? generateRsaKeyPair().privateKey;
  const platformPrivateKey = options.platformPrivateKey ?? generateRsaKeyPair().privateKey;
  const platformPublicKey = publicKeyOf(platformPrivateKey);
  const mode = options.platformKeyMode ?? "public-key";
  const publicKeyId =
    options.wechatpayPublicKeyId ??
    `PUB_KEY_ID_01${mchid}${Date.now().toString().slice(-10)}00000000`;
  const certificate =
    mode === "public-key"
      ? undefined
      : await createPlatformCertificate(
          { privateKey: platformPrivateKey, publicKey: platformPublicKey },
          { mchid },
        );
  const apiV3Key = options.apiV3Key ?? randomBytes(16).toString("hex");
  if (Buffer.byteLength(apiV3Key) !== 32) throw new TypeError("apiV3Key must be 32 bytes");
  const apiV2Key = options.apiV2Key ?? randomBytes(24).toString("base64url");
  if (!/^[\x21-\x7e]{32}$/.test(apiV2Key)) {
    throw new TypeError("apiV2Key must be 32 printable ASCII characters");
  }
  const controlToken = options.controlToken ?? randomBytes(32).toString("base64url");
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(controlToken)) {
    // The value is a secret: the message names the option, never echoes it.
    throw new TypeError(
      "controlToken must be 16 to 256 characters of letters, digits, '-' and '_'",
    );
  }
  return {
    mchid,
    serialNo: (options.serialNo ?? randomSerial()).toUpperCase(),
    merchantPrivateKey,
    merchantPublicKey: options.merchantPublicKey ?? publicKeyOf(merchantPrivateKey),
    platformPrivateKey,
    certificate,
    wechatpayPublicKey:
      mode === "certificate" ? undefined : { id: publicKeyId, key: platformPublicKey },
    signingSerial: platformSigningSerial(mode, publicKeyId, certificate?.serial),
    apiV3Key,
    apiV2Key,
    controlToken,
  };
}
