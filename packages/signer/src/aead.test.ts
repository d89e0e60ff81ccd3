import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { API_V3_KEY, hasSharedVectors, loadTestVectors } from "../test/helpers.js";
import { ConfigError, DecryptionError } from "./errors.js";
import { decryptResource } from "./index.js";
import { encryptResource } from "./server.js";

describe.skipIf(!hasSharedVectors)(
  "AES-256-GCM conformance with ../shared test-vectors.json",
  () => {
    it("decrypts the vector to its plaintext and re-encrypts to the same ciphertext", async () => {
      const { aes256gcm: v } = loadTestVectors();
      const resource = {
        algorithm: "AEAD_AES_256_GCM",
        ciphertext: v.ciphertextBase64,
        nonce: v.nonce,
        associated_data: v.associatedData,
      };
      expect(await decryptResource(resource, v.apiV3Key)).toBe(v.plaintext);
      const again = await encryptResource(v.plaintext, v.apiV3Key, v.associatedData, v.nonce);
      expect(again.ciphertext).toBe(v.ciphertextBase64);
    });
  },
);

describe("decryptResource", () => {
  it("accepts absent associated_data as empty", async () => {
    const sealed = await encryptResource('{"a":1}', API_V3_KEY, "");
    const { associated_data: _, ...withoutAad } = sealed;
    expect(await decryptResource(withoutAad, API_V3_KEY)).toBe('{"a":1}');
  });

  it("rejects a key that is not 32 bytes with ConfigError(apiV3Key)", async () => {
    const sealed = await encryptResource("x", API_V3_KEY);
    for (const key of ["", "short", `${API_V3_KEY}x`, `${"é".repeat(15)}a`]) {
      await expect(decryptResource(sealed, key)).rejects.toMatchObject({
        name: "ConfigError",
        option: "apiV3Key",
      });
    }
    await expect(encryptResource("x", "short")).rejects.toBeInstanceOf(ConfigError);
  });

  it("rejects an unknown algorithm and malformed resources with typed reasons", async () => {
    const sealed = await encryptResource("x", API_V3_KEY);
    await expect(
      decryptResource({ ...sealed, algorithm: "AEAD_AES_128_GCM" }, API_V3_KEY),
    ).rejects.toMatchObject({ reason: "unsupported-algorithm" });
    for (const bad of [
      { ...sealed, ciphertext: "not base64!" },
      { ...sealed, ciphertext: "AAAA" },
      { ...sealed, nonce: "" },
      { ...sealed, associated_data: 5 as unknown as string },
      null as unknown as typeof sealed,
    ]) {
      await expect(decryptResource(bad, API_V3_KEY)).rejects.toMatchObject({
        name: "DecryptionError",
        reason: "malformed-resource",
      });
    }
  });

  it("rejects a wrong key as authentication-failed", async () => {
    const sealed = await encryptResource("x", API_V3_KEY);
    await expect(decryptResource(sealed, "b".repeat(32))).rejects.toMatchObject({
      reason: "authentication-failed",
    });
  });
});

describe("encrypt → decrypt (property, 1,000 runs each)", () => {
  const text = fc.string({ unit: "grapheme", maxLength: 300 });
  const aad = fc.string({ unit: "grapheme-ascii", maxLength: 40 });

  it("decrypt(encrypt(x)) = x", async () => {
    await fc.assert(
      fc.asyncProperty(text, aad, async (plaintext, associatedData) => {
        const sealed = await encryptResource(plaintext, API_V3_KEY, associatedData);
        expect(await decryptResource(sealed, API_V3_KEY)).toBe(plaintext);
      }),
      { numRuns: 1000 },
    );
  });

  it("any flipped byte of ciphertext, tag, nonce or associated data fails authentication", async () => {
    await fc.assert(
      fc.asyncProperty(
        text,
        aad,
        fc.constantFrom("ciphertext", "tag", "nonce", "associated_data"),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        async (plaintext, associatedData, part, at, bit) => {
          const sealed = await encryptResource(plaintext, API_V3_KEY, associatedData);
          const tampered = { ...sealed };
          const flip = (bytes: Uint8Array, i: number) => {
            bytes[i] = (bytes[i] ?? 0) ^ (1 << bit);
            return bytes;
          };
          if (part === "ciphertext" || part === "tag") {
            const bytes = Buffer.from(sealed.ciphertext, "base64");
            const bodyLength = bytes.length - 16;
            if (part === "ciphertext" && bodyLength === 0) return; // nothing to flip
            const i = part === "tag" ? bodyLength + (at % 16) : at % bodyLength;
            tampered.ciphertext = Buffer.from(flip(bytes, i)).toString("base64");
          } else {
            const source = part === "nonce" ? sealed.nonce : (sealed.associated_data ?? "");
            const bytes = Buffer.from(source, "latin1");
            // An empty AAD has no byte to flip: append one instead.
            const changed =
              bytes.length === 0
                ? "x"
                : Buffer.from(flip(bytes, at % bytes.length)).toString("latin1");
            if (part === "nonce") tampered.nonce = changed;
            else tampered.associated_data = changed;
          }
          await expect(decryptResource(tampered, API_V3_KEY)).rejects.toSatisfy(
            (e) => e instanceof DecryptionError && e.reason === "authentication-failed",
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
