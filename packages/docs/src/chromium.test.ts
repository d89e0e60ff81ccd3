import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { brotliCompressSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ChromiumNotFoundError,
  findChromium,
  installedPackagedChromium,
  isExecutableFile,
  systemBrowserCandidates,
  unpackChromium,
} from "./chromium.js";

// Resolution order on real files: executables, folders and a brotli archive in a temp folder.

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "docs-chromium-test-"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const SCRIPT = "#!/bin/sh\necho fake chromium\n";

function executable(path: string, mode = 0o755) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, SCRIPT);
  chmodSync(path, mode);
  return path;
}

function packagedArchive(version = "143.0.4") {
  const archive = join(root, "package/bin/chromium.br");
  mkdirSync(dirname(archive), { recursive: true });
  writeFileSync(archive, brotliCompressSync(Buffer.from(SCRIPT)));
  return { archive, version };
}

const linux = { platform: "linux", arch: "x64" } as const;

describe("findChromium", () => {
  it("takes CHROMIUM_PATH first, over the packaged Chromium and an installed browser", async () => {
    const chosen = executable(join(root, "my/chrome"));
    const onPath = executable(join(root, "bin/google-chrome"));
    const cacheDir = join(root, "cache");
    const found = await findChromium({
      ...linux,
      env: { CHROMIUM_PATH: chosen, PATH: dirname(onPath) },
      packaged: packagedArchive(),
      cacheDir,
    });
    expect(found).toEqual({ path: chosen, source: "CHROMIUM_PATH" });
    expect(() => statSync(cacheDir)).toThrow(); // nothing unpacked
  });

  it("refuses a CHROMIUM_PATH that is missing, a folder or not executable, naming the variable", async () => {
    const folder = join(root, "folder");
    mkdirSync(folder);
    const notExecutable = executable(join(root, "plain"), 0o644);
    for (const value of [join(root, "missing"), folder, notExecutable]) {
      const search = findChromium({
        ...linux,
        env: { CHROMIUM_PATH: value },
        packaged: packagedArchive(),
        cacheDir: join(root, "cache"),
      });
      await expect(search).rejects.toThrow(ChromiumNotFoundError);
      await expect(search).rejects.toThrow(
        `CHROMIUM_PATH is ${JSON.stringify(value)}, which is not an executable file`,
      );
    }
  });

  it("treats an empty CHROMIUM_PATH as unset", async () => {
    const found = await findChromium({
      ...linux,
      env: { CHROMIUM_PATH: "" },
      packaged: packagedArchive("1.2.3"),
      cacheDir: join(root, "cache"),
    });
    expect(found.source).toBe("@sparticuz/chromium 1.2.3");
  });

  it("on linux-x64 unpacks the packaged Chromium once into a folder of its version, before an installed browser", async () => {
    const onPath = executable(join(root, "bin/chromium"));
    const cacheDir = join(root, "cache");
    const options = {
      ...linux,
      env: { PATH: dirname(onPath) },
      packaged: packagedArchive("143.0.4"),
      cacheDir,
    };
    const found = await findChromium(options);
    expect(found).toEqual({
      path: join(cacheDir, "143.0.4/chromium"),
      source: "@sparticuz/chromium 143.0.4",
    });
    expect(readFileSync(found.path, "utf8")).toBe(SCRIPT);
    expect(isExecutableFile(found.path, "linux")).toBe(true);

    const unpacked = statSync(found.path).mtimeMs;
    writeFileSync(options.packaged.archive, "not brotli"); // a second call must not read it again
    expect((await findChromium(options)).path).toBe(found.path);
    expect(statSync(found.path).mtimeMs).toBe(unpacked);
  });

  it("leaves no partial binary behind when the archive is corrupt, and says which archive", async () => {
    const packaged = packagedArchive();
    writeFileSync(packaged.archive, "not brotli");
    const cacheDir = join(root, "cache");
    await expect(unpackChromium(packaged, cacheDir)).rejects.toThrow(
      `could not unpack @sparticuz/chromium 143.0.4 from ${packaged.archive}`,
    );
    expect(() => statSync(join(cacheDir, "143.0.4/chromium"))).toThrow();
    // The temporary folder is gone too: the version folder is empty.
    expect(readdirSync(join(cacheDir, "143.0.4"))).toEqual([]);
  });

  it("uses an installed browser where the package ships no Chromium (linux-arm64)", async () => {
    const chrome = executable(join(root, "bin/google-chrome"));
    const found = await findChromium({
      platform: "linux",
      arch: "arm64",
      env: { PATH: dirname(chrome) },
      packaged: packagedArchive(),
      cacheDir: join(root, "cache"),
    });
    expect(found).toEqual({ path: chrome, source: "installed browser" });
  });

  it("on Linux looks up the browsers on PATH, Chrome first, skipping a path hidden by /dev/null", async () => {
    const first = join(root, "first");
    const second = join(root, "second");
    // fresh-quickstart hides a system Chromium by mounting /dev/null over it; a link does the same here.
    mkdirSync(first);
    symlinkSync("/dev/null", join(first, "google-chrome"));
    const chromium = executable(join(first, "chromium"));
    const chrome = executable(join(second, "google-chrome"));
    const env = { PATH: [first, second].join(":") };
    const found = await findChromium({ ...linux, env, packaged: undefined });
    expect(found.path).toBe(chrome);
    rmSync(chrome);
    expect((await findChromium({ ...linux, env, packaged: undefined })).path).toBe(chromium);
  });

  it("on macOS finds Chrome in ~/Applications", async () => {
    const home = join(root, "home");
    const chrome = executable(
      join(home, "Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
    );
    const found = await findChromium({
      platform: "darwin",
      arch: "arm64",
      env: { HOME: home },
      packaged: packagedArchive(),
    });
    expect(found).toEqual({ path: chrome, source: "installed browser" });
  });

  it("without any, throws one error naming every way to provide a Chromium and where it looked", async () => {
    const empty = join(root, "empty");
    mkdirSync(empty);
    const search = findChromium({ ...linux, env: { PATH: empty }, packaged: undefined });
    await expect(search).rejects.toThrow(ChromiumNotFoundError);
    const error = (await search.catch((e: unknown) => e)) as ChromiumNotFoundError;
    expect(error.message).toContain("run `pnpm install`: it brings @sparticuz/chromium");
    expect(error.message).toContain("install Google Chrome, Chromium or Microsoft Edge");
    expect(error.message).toContain(join(empty, "google-chrome"));
    expect(error.message).toContain("set CHROMIUM_PATH");
    expect(error.lookedAt).toEqual(systemBrowserCandidates("linux", { PATH: empty }));

    const onMac = findChromium({ platform: "darwin", arch: "arm64", env: {}, packaged: undefined });
    await expect(onMac).rejects.toThrow("ships Chromium for linux-x64 only, not for darwin-arm64");
  });
});

describe("systemBrowserCandidates", () => {
  it("on Windows: Program Files, Program Files (x86) and LocalAppData, Chrome before Chromium and Edge", () => {
    const env = {
      PROGRAMFILES: "C:\\Program Files",
      "PROGRAMFILES(X86)": "C:\\Program Files (x86)",
      LOCALAPPDATA: "C:\\Users\\dev\\AppData\\Local",
    };
    expect(systemBrowserCandidates("win32", env)).toEqual([
      "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
      "C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe",
      "C:\\Users\\dev\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe",
      "C:\\Program Files\\Chromium\\Application\\chrome.exe",
      "C:\\Program Files (x86)\\Chromium\\Application\\chrome.exe",
      "C:\\Users\\dev\\AppData\\Local\\Chromium\\Application\\chrome.exe",
      "C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe",
      "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
      "C:\\Users\\dev\\AppData\\Local\\Microsoft\\Edge\\Application\\msedge.exe",
    ]);
  });

  it("on macOS: /Applications, then ~/Applications", () => {
    const list = systemBrowserCandidates("darwin", { HOME: "/Users/dev" });
    expect(list[0]).toBe("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome");
    expect(list).toContain("/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge");
    expect(list).toContain("/Users/dev/Applications/Chromium.app/Contents/MacOS/Chromium");
  });
});

describe("the packaged Chromium", () => {
  it("is installed with the docs package and has the major version playwright-core drives", () => {
    const packaged = installedPackagedChromium();
    expect(packaged, "@sparticuz/chromium in node_modules").toBeDefined();
    const require = createRequire(import.meta.url);
    const playwright = dirname(require.resolve("playwright-core/package.json"));
    const { browsers } = JSON.parse(readFileSync(join(playwright, "browsers.json"), "utf8")) as {
      browsers: { name: string; browserVersion: string }[];
    };
    const expected = browsers.find((b) => b.name === "chromium")?.browserVersion;
    expect(packaged?.version.split(".")[0]).toBe(expected?.split(".")[0]);
  });
});
