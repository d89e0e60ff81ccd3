import { describe, expect, it } from "vitest";
import { testKeyPair } from "../test/helpers.js";
import { ConfigError } from "./errors.js";
import * as node from "./platform.node.js";
import * as web from "./platform.web.js";

const pkcs8 = (pem: string) =>
  new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64"));

describe("the two #platform builds", () => {
  const merchant = testKeyPair("merchant");
  const message = new TextEncoder().encode("GET\n/v3/marketing/busifavor/stocks\n1\nN\n\n");

  it("sign alike and verify each other (RSASSA-PKCS1-v1_5 is deterministic)", async () => {
    const key = pkcs8(merchant.pkcs8Pem);
    const fromWeb = await (await web.loadSigner(key, "privateKey"))(message);
    const fromNode = await (await node.loadSigner(key, "privateKey", () => false))(message);
    const onPool = await (await node.loadSigner(key, "privateKey", () => true))(message);
    expect(fromNode).toBe(fromWeb);
    expect(onPool).toBe(fromWeb);

    const publicKey = await crypto.subtle.importKey(
      "spki",
      merchant.publicKey.export({ type: "spki", format: "der" }),
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      true,
      ["verify"],
    );
    const signature = new Uint8Array(Buffer.from(fromWeb, "base64"));
    const tampered = message.slice();
    tampered[0] = 0x50; // "P": a POST the merchant never signed
    for (const platform of [node, web]) {
      expect(await platform.verifyRsa(publicKey, signature, message)).toBe(true);
      expect(await platform.verifyRsa(publicKey, signature, tampered)).toBe(false);
    }
  });

  it("name the option when a key does not import", async () => {
    const garbage = Uint8Array.of(48, 3, 2, 1, 0);
    for (const load of [web.loadSigner, node.loadSigner]) {
      await expect(load(garbage, "privateKey", () => false)).rejects.toMatchObject({
        name: "ConfigError",
        option: "privateKey",
      });
    }
  });

  it("the web build refuses certificate mode; the node build checks the PEMs first", () => {
    expect(() => web.loadCertificates()).toThrow(ConfigError);
    expect(() => web.loadCertificates()).toThrow(/^platformCertificates: needs node:crypto/);
    expect(() => node.loadCertificates(["not a certificate"], Date.now())).toThrow(
      "platformCertificates: must be X.509 PEM strings",
    );
  });

  it("name their runtime for the User-Agent", () => {
    expect(web.RUNTIME).toBe("web");
    expect(node.RUNTIME).toBe(`Node.js/${process.versions.node}`);
  });
});
