import { base64Decode, base64Encode, toBytes } from "./encoding.js";
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

function importApiV3Key(apiV3Key: unknown, usage: KeyUsage): Promise<CryptoKey> {
  const bytes = typeof apiV3Key === "string" ? toBytes(apiV3Key) : undefined;
  if (bytes?.length !== 32) throw new ConfigError("apiV3Key", "must be 32 bytes");
  return crypto.subtle.importKey("raw", bytes, "AES-GCM", false, [usage]);
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
  const key = await importApiV3Key(apiV3Key, "decrypt");
  if (typeof resource !== "object" || resource === null) {
    throw new DecryptionError("malformed-resource", "resource");
  }
  if (resource.algorithm !== AEAD_ALGORITHM) {
    throw new DecryptionError("unsupported-algorithm", "resource.algorithm");
  }
  const data = typeof resource.ciphertext === "string" && base64Decode(resource.ciphertext);
  if (!data || data.length < 16) {
    throw new DecryptionError("malformed-resource", "resource.ciphertext");
  }
  if (typeof resource.nonce !== "string" || !resource.nonce) {
    throw new DecryptionError("malformed-resource", "resource.nonce");
  }
  const { associated_data: aad = "" } = resource;
  if (typeof aad !== "string") {
    throw new DecryptionError("malformed-resource", "resource.associated_data");
  }
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: toBytes(resource.nonce),
        additionalData: toBytes(aad),
        tagLength: 128,
      },
      key,
      data,
    );
  } catch {
    throw new DecryptionError("authentication-failed", "resource");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(plaintext);
  } catch {
    throw new DecryptionError("malformed-resource", "resource plaintext");
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
  const key = await importApiV3Key(apiV3Key, "encrypt");
  const sealed = await crypto.subtle.encrypt(
    {
      name: "AES-GCM",
      iv: toBytes(nonce),
      additionalData: toBytes(associatedData),
      tagLength: 128,
    },
    key,
    toBytes(plaintext),
  );
  return {
    algorithm: AEAD_ALGORITHM,
    ciphertext: base64Encode(new Uint8Array(sealed)),
    nonce,
    associated_data: associatedData,
    ...(originalType === undefined ? {} : { original_type: originalType }),
  };
}
