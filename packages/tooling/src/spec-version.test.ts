import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readInfoVersion, SPEC_ROOT, SPECS_PACKAGE, setInfoVersion } from "./spec-version.js";
import { findWorkspaceRoot, workspacePackage } from "./workspace.js";

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

const changedLines = (before: string, after: string) => {
  const old = before.split("\n");
  return after.split("\n").filter((line, i) => line !== old[i]);
};

describe("setInfoVersion", () => {
  it("changes only info.version and keeps the line's comment", () => {
    const updated = setInfoVersion(doc, "0.2.0");
    expect(readInfoVersion(updated)).toBe("0.2.0");
    expect(changedLines(doc, updated)).toEqual([
      "  version: 0.2.0 # kept equal to @wechatpay-marketing/openapi",
    ]);
  });

  it("keeps the quotes of a quoted version and accepts pre-releases", () => {
    const quoted = doc.replace("version: 0.1.0", 'version: "0.1.0"');
    const updated = setInfoVersion(quoted, "1.0.0-next.1");
    expect(readInfoVersion(updated)).toBe("1.0.0-next.1");
    expect(changedLines(quoted, updated)).toEqual([
      '  version: "1.0.0-next.1" # kept equal to @wechatpay-marketing/openapi',
    ]);
  });

  it("returns the text untouched when the version already matches", () => {
    expect(setInfoVersion(doc, "0.1.0")).toBe(doc);
  });

  it("does not touch a `version` outside info", () => {
    const noInfoVersion = doc.replace(/^ {2}version:.*\n/m, "");
    expect(() => setInfoVersion(noInfoVersion, "0.2.0")).toThrow("`info` has no `version`");
  });

  it("refuses a non-semver version, a document without info and broken YAML", () => {
    expect(() => setInfoVersion(doc, "next")).toThrow('"next" is not a semver version');
    expect(() => setInfoVersion("openapi: 3.1.0\n", "1.0.0")).toThrow(/no top-level `info`/);
    expect(() => setInfoVersion("info: [\n", "1.0.0")).toThrow(/not valid YAML/);
  });

  it("rewrites the real spec root with only the version line changed", () => {
    const specs = workspacePackage(findWorkspaceRoot(), SPECS_PACKAGE);
    const text = readFileSync(join(specs.dir, SPEC_ROOT), "utf8");
    const version = readInfoVersion(text);
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    const updated = setInfoVersion(text, "98.76.54");
    expect(updated.split("\n")).toHaveLength(text.split("\n").length);
    expect(changedLines(text, updated)).toEqual([
      expect.stringMatching(/^ {2}version: ["']?98\.76\.54["']?( #.*)?$/),
    ]);
  });
});

describe("readInfoVersion", () => {
  it("reads YAML and JSON documents, and nothing from documents without one", () => {
    expect(readInfoVersion(doc)).toBe("0.1.0");
    expect(readInfoVersion('{"info":{"version":"2.0.0"}}')).toBe("2.0.0");
    expect(readInfoVersion("openapi: 3.1.0\n")).toBeUndefined();
    expect(readInfoVersion("")).toBeUndefined();
  });
});
