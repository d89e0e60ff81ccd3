import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import parseChangeset from "@changesets/parse";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type AddedChangeset,
  type ChangedPackage,
  checkChangesets,
  findBase,
  readAddedChangesets,
  readChangedPackages,
  releasedIn,
  runChangesetCheck,
} from "./changesets.js";
import type { WorkspacePackage } from "./workspace.js";

const CLIENT = "@wechatpay-marketing/client";
const SIGNER = "@wechatpay-marketing/signer";
const OPENAPI = "@wechatpay-marketing/openapi";
const DOCS = "@wechatpay-marketing/docs";
const SPECS = "@wechatpay-marketing/specs";

/** A changeset as the changesets parser reads the file. */
const changeset = (id: string, text: string): AddedChangeset => ({
  id,
  names: parseChangeset(text).releases.map((r) => r.name),
});
const published = (name: string): ChangedPackage => ({ name, private: false, releasedIn: [] });
const specs: ChangedPackage = { name: SPECS, private: true, releasedIn: [OPENAPI, DOCS] };
const tooling: ChangedPackage = {
  name: "@wechatpay-marketing/tooling",
  private: true,
  releasedIn: [],
};

describe("checkChangesets", () => {
  it("passes when nothing changed, without any changeset", () => {
    expect(checkChangesets([], [])).toEqual({ covered: new Map(), uncovered: [], empty: [] });
  });

  it("names every changed package that no changeset names", () => {
    const result = checkChangesets(
      [published(CLIENT), published(SIGNER), published("@wechatpay-marketing/sandbox")],
      [changeset("brave-fox", `---\n"${CLIENT}": patch\n---\n\nFix.\n`)],
    );
    expect(result.uncovered.map((u) => u.name)).toEqual(["@wechatpay-marketing/sandbox", SIGNER]);
    expect(result.covered).toEqual(new Map([[CLIENT, ["brave-fox"]]]));
  });

  it("lets an empty changeset cover no package (the loophole changesets leaves open)", () => {
    const result = checkChangesets(
      [published(CLIENT), published(SIGNER)],
      [changeset("typo-fix", "---\n---\n\nTypo in a comment.\n")],
    );
    expect(result.uncovered.map((u) => u.name)).toEqual([CLIENT, SIGNER]);
    expect(result.empty).toEqual(["typo-fix"]);
  });

  it("does not let a fixed-group partner stand in: client changes need a changeset naming client", () => {
    const result = checkChangesets(
      [published(CLIENT)],
      [changeset("o", `---\n"${OPENAPI}": minor\n---\n\nNew operation.\n`)],
    );
    expect(result.uncovered).toEqual([{ name: CLIENT, because: CLIENT }]);
  });

  it("asks the packages a private source ships in for a changeset, and says why", () => {
    const result = checkChangesets(
      [specs],
      [changeset("s", `---\n"${OPENAPI}": minor\n---\n\nx\n`)],
    );
    expect(result.covered).toEqual(new Map([[OPENAPI, ["s"]]]));
    expect(result.uncovered).toEqual([{ name: DOCS, because: SPECS }]);
  });

  it("asks nothing for a private package that ships nowhere (the tooling)", () => {
    expect(checkChangesets([tooling], []).uncovered).toEqual([]);
  });

  it("lists every changeset that names a package", () => {
    const result = checkChangesets(
      [published(SIGNER)],
      [
        changeset("a", `---\n"${SIGNER}": patch\n---\n\nOne.\n`),
        changeset("b", `---\n"${SIGNER}": minor\n"${CLIENT}": minor\n---\n\nTwo.\n`),
      ],
    );
    expect(result.covered.get(SIGNER)).toEqual(["a", "b"]);
  });
});

describe("releasedIn", () => {
  const pkg = (name: string, manifest: Record<string, unknown>): WorkspacePackage => ({
    name,
    version: "0.1.0",
    dir: `/w/${name}`,
    manifest: { name, version: "0.1.0", ...manifest },
  });
  const openapi = pkg(OPENAPI, { devDependencies: { [SPECS]: "workspace:*" } });
  const client = pkg(CLIENT, {});
  const secret = pkg("@wechatpay-marketing/secret", { private: true });

  it("reads the publishable dependents a private package names", () => {
    const source = pkg(SPECS, { private: true, changesets: { releasedIn: [OPENAPI] } });
    expect(releasedIn(source, [openapi, client, source])).toEqual([OPENAPI]);
    expect(releasedIn(pkg(SPECS, { private: true }), [openapi])).toEqual([]);
  });

  it("refuses names that are not publishable dependents, naming them", () => {
    const all = [openapi, client, secret];
    const naming = (names: unknown) =>
      releasedIn(pkg(SPECS, { private: true, changesets: { releasedIn: names } }), all);
    expect(() => naming(CLIENT)).toThrow(`${SPECS}: "changesets.releasedIn" must be a list`);
    expect(() => naming([CLIENT])).toThrow(`names ${CLIENT}, which does not depend on it`);
    expect(() => naming([secret.name])).toThrow("not a publishable workspace package");
    expect(() => naming(["left-pad"])).toThrow("names left-pad, not a publishable");
  });
});

// A real workspace in a temporary git repository: the changesets CLI and libraries read it.
// Each test makes its own, so that any one runs alone.
const CONFIG = {
  changelog: false,
  commit: false,
  fixed: [],
  linked: [],
  access: "public",
  baseBranch: "main",
  updateInternalDependencies: "patch",
  ignore: [],
  privatePackages: { version: false, tag: false },
  changedFilePatterns: ["**", "!**/*.test.ts", "!test/**", "!README.md"],
};

function gitWorkspace() {
  const root = mkdtempSync(join(tmpdir(), "changesets-check-"));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: "pipe" }).trim();
  const commit = (message: string) => {
    git("add", "-A");
    git(
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@t",
      "-c",
      "commit.gpgsign=false",
      "commit",
      "-qm",
      message,
    );
    return git("rev-parse", "HEAD");
  };
  const manifest = (name: string, extra: Record<string, unknown> = {}) =>
    `${JSON.stringify({ name, version: "0.1.0", ...extra }, null, 2)}\n`;
  git("init", "-q", "-b", "main");
  write("package.json", manifest("root", { private: true }));
  write("pnpm-workspace.yaml", "packages:\n  - packages/*\n  - specs\n");
  write(".changeset/config.json", JSON.stringify(CONFIG));
  write("packages/signer/package.json", manifest(SIGNER));
  write("packages/signer/src/sign.ts", "export const sign = 1;\n");
  write(
    "packages/openapi/package.json",
    manifest(OPENAPI, { devDependencies: { [SPECS]: "workspace:*" } }),
  );
  write(
    "specs/package.json",
    manifest(SPECS, { private: true, changesets: { releasedIn: [OPENAPI] } }),
  );
  write("specs/openapi.yaml", "openapi: 3.1.0\n");
  const base = commit("base");
  /** Changes the signer's source and the spec, so that signer and openapi need a changeset. */
  const changeSources = () => {
    write("specs/openapi.yaml", "openapi: 3.1.0\ninfo: {}\n");
    write("packages/signer/src/sign.ts", "export const sign = 2;\n");
    commit("sources");
  };
  return {
    root,
    base,
    write,
    git,
    commit,
    changeSources,
    [Symbol.dispose]: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Runs the check with its console output captured. */
async function check(root: string) {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  const error = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const ok = await runChangesetCheck(root, {});
    return { ok, log: log.mock.calls.join("\n"), error: error.mock.calls.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe("in a git workspace", () => {
  let ws: ReturnType<typeof gitWorkspace>;
  beforeEach(() => {
    ws = gitWorkspace();
  });
  afterEach(() => ws[Symbol.dispose]());

  it("finds the base: CHANGESET_BASE, else the root commit here (no origin/main, no tag)", () => {
    expect(findBase(ws.root, {})).toEqual({
      commit: ws.base,
      how: "root commit (no origin/main, no release tag)",
    });
    expect(findBase(ws.root, { CHANGESET_BASE: "HEAD" }).commit).toBe(ws.base);
    expect(() => findBase(ws.root, { CHANGESET_BASE: "nope" })).toThrow(
      "CHANGESET_BASE=nope is not a commit",
    );
  });

  it("sees changed packages through changedFilePatterns: tests and READMEs do not count", async () => {
    ws.write("packages/signer/src/sign.test.ts", "// a test\n");
    ws.write("packages/signer/README.md", "# signer\n");
    ws.commit("tests only");
    expect(await readChangedPackages(ws.root, ws.base)).toEqual([]);
    ws.changeSources();
    expect(await readChangedPackages(ws.root, ws.base)).toEqual([
      { name: SIGNER, private: false, releasedIn: [] },
      { name: SPECS, private: true, releasedIn: [OPENAPI] },
    ]);
  });

  it("fails with an empty changeset alone", async () => {
    ws.changeSources();
    ws.write(".changeset/typo.md", "---\n---\n\nTypo.\n");
    ws.commit("an empty changeset");
    expect(await readAddedChangesets(ws.root, ws.base)).toEqual([{ id: "typo", names: [] }]);
    const result = await check(ws.root);
    expect(result.ok).toBe(false);
    expect(result.error).toContain(`no changeset names ${OPENAPI}, ${SIGNER}`);
    expect(result.log).toContain("empty changesets (cover no package): typo");
  });

  it("passes once changesets name every changed package, a release or `none`", async () => {
    ws.changeSources();
    ws.write(".changeset/real.md", `---\n"${SIGNER}": patch\n---\n\nReal.\n`);
    ws.write(".changeset/internal.md", `---\n"${OPENAPI}": none\n---\n\nNo release needed.\n`);
    ws.commit("changesets");
    const result = await check(ws.root);
    expect(result).toMatchObject({ ok: true, error: "" });
    expect(result.log).toContain(`${SIGNER}: covered by real`);
    expect(result.log).toContain(`${OPENAPI}: covered by internal`);
  });

  it("says so when the changeset that would cover a package is not tracked by git yet", async () => {
    ws.changeSources();
    ws.write(".changeset/real.md", `---\n"${SIGNER}": patch\n"${OPENAPI}": minor\n---\n\nReal.\n`);
    const result = await check(ws.root);
    expect(result.ok).toBe(false);
    expect(result.error).toContain(
      "git does not track them yet (git add them): .changeset/real.md",
    );
    ws.git("add", ".changeset/real.md");
    expect((await check(ws.root)).ok).toBe(true);
  });

  it("reports a changeset that changesets cannot read, with its message", async () => {
    ws.write(".changeset/broken.md", "no front matter\n");
    ws.git("add", ".changeset/broken.md");
    await expect(readAddedChangesets(ws.root, ws.base)).rejects.toThrow(
      /changeset status --since=\w+ failed/,
    );
  });
});
