import { type Bytes, base64Decode, base64Encode, toBytes } from "./encoding.js";
import { ConfigError, DecryptionError } from "./errors.js";
import { generateNonce } from "./signing.js";

export const AEAD_ALGORITHM = "AEAD_AES_256_GCM";

/** The `resource` of a notification (and of some API answers), as WeChat Pay sends it. */
export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string | undefined;
  original_type?: string | undefined;
}

/** The APIv3 key's 32 bytes; ConfigError `apiV3Key` (never its value) otherwise. */
export function apiV3KeyBytes(apiV3Key: unknown): Bytes {
  const bytes = typeof apiV3Key === "string" ? toBytes(apiV3Key) : undefined;
  if (bytes?.length !== 32) throw new ConfigError("apiV3Key", "must be 32 bytes");
  return bytes;
}

/** AES-256-GCM with the APIv3 key: IV = UTF-8 of `nonce`, AAD = `associatedData`, 16-byte tag. */
async function aesGcm(
  use: "encrypt" | "decrypt",
  apiV3Key: string,
  nonce: string,
  associatedData: string,
  data: Bytes,
): Promise<ArrayBuffer> {
  const algorithm = {
    name: "AES-GCM",
    iv: toBytes(nonce),
    additionalData: toBytes(associatedData),
    tagLength: 128,
  };
  const key = await crypto.subtle.importKey("raw", apiV3KeyBytes(apiV3Key), algorithm, false, [
    use,
  ]);
  return crypto.subtle[use](algorithm, key, data);
}

/**
 * Decrypts AEAD_AES_256_GCM: key = the APIv3 key's bytes, IV = UTF-8 of `nonce`,
 * AAD = `associated_data`, `ciphertext` = base64(ciphertext || 16-byte tag). The tag is
 * always checked. Resolves to the plaintext string.
 */
export async function decryptResource(
  resource: EncryptedResource,
  apiV3Key: string,
): Promise<string> {
  apiV3KeyBytes(apiV3Key);
  const malformed = (field: string) =>
    new DecryptionError("malformed-resource", `resource${field}`);
  if (typeof resource !== "object" || resource === null) throw malformed("");
  const { algorithm, ciphertext, nonce, associated_data: aad = "" } = resource;
  if (algorithm !== AEAD_ALGORITHM) {
    throw new DecryptionError("unsupported-algorithm", "resource.algorithm");
  }
  const data = typeof ciphertext === "string" && base64Decode(ciphertext);
  if (!data || data.length < 16) throw malformed(".ciphertext");
  if (typeof nonce !== "string" || !nonce) throw malformed(".nonce");
  if (typeof aad !== "string") throw malformed(".associated_data");
  let plaintext: ArrayBuffer;
  try {
    plaintext = await aesGcm("decrypt", apiV3Key, nonce, aad, data);
  } catch {
    throw new DecryptionError("authentication-failed", "resource");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(plaintext);
  } catch {
    throw malformed(" plaintext");
  }
}

/** The inverse of decryptResource (for the sandbox and tests); nonce defaults to 12 random chars. */
export async function encryptResource(
  plaintext: string,
  apiV3Key: string,
  associatedData = "",
  nonce: string = generateNonce(12),
  originalType?: string,
): Promise<EncryptedResource> {
  const sealed = await aesGcm("encrypt", apiV3Key, nonce, associatedData, toBytes(plaintext));
  return {
    algorithm: AEAD_ALGORITHM,
    ciphertext: base64Encode(new Uint8Array(sealed)),
    nonce,
    associated_data: associatedData,
    ...(originalType === undefined ? {} : { original_type: originalType }),
  };
}
