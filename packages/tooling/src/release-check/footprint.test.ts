import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countInstalledPackages } from "./footprint.js";

const root = mkdtempSync(join(tmpdir(), "footprint-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const install = (path: string, name: string, version: string) => {
  mkdirSync(join(root, path), { recursive: true });
  writeFileSync(join(root, path, "package.json"), JSON.stringify({ name, version }));
};

describe("countInstalledPackages", () => {
  it("counts each name@version once, nested and scoped ones included, and every folder", () => {
    install("node_modules/a", "a", "1.0.0");
    install("node_modules/@scope/b", "@scope/b", "2.0.0");
    install("node_modules/@scope/b/node_modules/a", "a", "0.9.0");
    install("node_modules/c/node_modules/a", "a", "1.0.0"); // the same a@1.0.0 a second time
    install("node_modules/c", "c", "3.0.0");
    mkdirSync(join(root, "node_modules/.bin"), { recursive: true });
    mkdirSync(join(root, "node_modules/not-a-package"), { recursive: true });
    expect(countInstalledPackages(join(root, "node_modules"))).toEqual({
      packages: 4,
      folders: 5,
      names: ["@scope/b@2.0.0", "a@0.9.0", "a@1.0.0", "c@3.0.0"],
    });
  });

  it("counts nothing where nothing is installed", () => {
    expect(countInstalledPackages(join(root, "absent"))).toEqual({
      packages: 0,
      folders: 0,
      names: [],
    });
  });
});
