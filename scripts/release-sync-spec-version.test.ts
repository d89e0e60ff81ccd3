import { describe, expect, it } from "vitest";
import { readInfoVersion, setInfoVersion } from "./release-sync-spec-version.mjs";

const doc = [
  "openapi: 3.1.0",
  "info:",
  "  title: WeChat Pay Marketing APIv3",
  "  version: 0.1.0 # kept equal to @wechatpay-marketing/openapi",
  "  license:",
  "    name: MIT",
  "servers:",
  "  - url: https://api.mch.weixin.qq.com",
  "components:",
  "  schemas:",
  "    Thing:",
  "      properties:",
  "        version:",
  "          type: string",
  "",
].join("\n");

describe("setInfoVersion", () => {
  it("changes only info.version and keeps the line's comment", () => {
    const updated = setInfoVersion(doc, "0.2.0");
    expect(readInfoVersion(updated)).toBe("0.2.0");
    expect(updated.split("\n").filter((line, i) => line !== doc.split("\n")[i])).toEqual([
      "  version: 0.2.0 # kept equal to @wechatpay-marketing/openapi",
    ]);
  });

  it("replaces quoted versions and accepts pre-releases", () => {
    const quoted = doc.replace("version: 0.1.0", 'version: "0.1.0"');
    expect(readInfoVersion(setInfoVersion(quoted, "1.0.0-next.1"))).toBe("1.0.0-next.1");
  });

  it("is a no-op when the version already matches", () => {
    expect(setInfoVersion(doc, "0.1.0")).toBe(doc);
  });

  it("does not touch a `version` outside info", () => {
    const noInfoVersion = doc.replace(/^ {2}version:.*\n/m, "");
    expect(() => setInfoVersion(noInfoVersion, "0.2.0")).toThrow(/no `version` line/);
  });

  it("refuses a non-semver version and a document without info", () => {
    expect(() => setInfoVersion(doc, "next")).toThrow(/not a semver/);
    expect(() => setInfoVersion("openapi: 3.1.0\n", "1.0.0")).toThrow(/no top-level `info:`/);
  });
});
