import { constants, createPrivateKey, privateDecrypt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { makeCertificate, PUB_KEY_ID, testKeyPair } from "../test/helpers.js";
import { decryptSensitiveField, encryptSensitiveField } from "./sensitive.js";

const platform = testKeyPair("platform");
const merchant = testKeyPair("merchant");

describe("sensitive fields (RSA-OAEP SHA-1)", () => {
  it("encrypts for the platform key so that OpenSSL's OAEP-SHA1 decrypts it, and names its id", async () => {
    const { ciphertext, serial } = await encryptSensitiveField("张三 13800138000", {
      id: PUB_KEY_ID,
      key: platform.spkiPem,
    });
    expect(serial).toBe(PUB_KEY_ID);
    const plain = privateDecrypt(
      {
        key: createPrivateKey(platform.pkcs8Pem),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: "sha1",
      },
      Buffer.from(ciphertext, "base64"),
    );
    expect(plain.toString("utf8")).toBe("张三 13800138000");
  });

  it("encrypts for a platform certificate too", async () => {
    const serial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
    const out = await encryptSensitiveField("x", {
      id: serial,
      key: makeCertificate(platform, { serial }),
    });
    expect(out.serial).toBe(serial);
    expect(await decryptSensitiveField(out.ciphertext, platform.pkcs8Pem)).toBe("x");
  });

  it("decrypts with the merchant private key (PKCS#8 or PKCS#1), separately imported for OAEP", async () => {
    const { ciphertext } = await encryptSensitiveField("6222 0200 1234", {
      id: "M",
      key: merchant.spkiPem,
    });
    expect(await decryptSensitiveField(ciphertext, merchant.pkcs8Pem)).toBe("6222 0200 1234");
    expect(await decryptSensitiveField(ciphertext, merchant.pkcs1Pem)).toBe("6222 0200 1234");
    await expect(decryptSensitiveField(ciphertext, platform.pkcs8Pem)).rejects.toMatchObject({
      name: "DecryptionError",
      reason: "authentication-failed",
    });
    await expect(decryptSensitiveField("%%%", merchant.pkcs8Pem)).rejects.toMatchObject({
      reason: "malformed-resource",
    });
  });
});
