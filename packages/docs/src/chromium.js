// @ts-check
// The Chromium that the docs tests and bench drive with playwright-core. Nothing is downloaded at
// install or run time; the first of these wins:
//   1. CHROMIUM_PATH, when set: an explicit choice is never overridden, and a wrong one is an
//      error rather than a silent fallback.
//   2. On linux-x64, the Chromium shipped inside the @sparticuz/chromium package (a devDependency,
//      so `pnpm install` brings it), unpacked once into node_modules/.cache. Its major version is
//      the one the pinned playwright-core was built for (chromium.test.ts holds them equal).
//   3. Google Chrome, Chromium or Microsoft Edge installed at its standard place: /Applications on
//      macOS, Program Files or LocalAppData on Windows, PATH on Linux.
import {
  accessSync,
  constants,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, posix, win32 } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createBrotliDecompress } from "node:zlib";
import { chromium } from "playwright-core";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

export const PACKAGED_CHROMIUM = "@sparticuz/chromium";
export const DEFAULT_CACHE_DIR = join(pkgDir, "node_modules/.cache/chromium");

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** Thrown when no Chromium can be found; the message names every way to provide one. */
export class ChromiumNotFoundError extends Error {
  /**
   * @param {string} message
   * @param {string[]} lookedAt the system paths that were checked
   */
  constructor(message, lookedAt) {
    super(message);
    this.name = "ChromiumNotFoundError";
    this.lookedAt = lookedAt;
  }
}

/**
 * @typedef {{ archive: string, version: string }} PackagedChromium the brotli-compressed binary
 *   inside the packaged-Chromium package, and that package's version
 */
/** @typedef {{ path: string, source: string }} FoundChromium */
/**
 * @typedef {object} FindOptions
 * @property {Record<string, string | undefined>} [env]
 * @property {NodeJS.Platform} [platform]
 * @property {string} [arch]
 * @property {PackagedChromium | undefined} [packaged] defaults to the installed package
 * @property {string} [cacheDir] where the packaged binary is unpacked, one folder per version
 */

/**
 * The installed `PACKAGED_CHROMIUM` package, or undefined when it is not in node_modules. Only its
 * `bin/chromium.br` is used: its own unpacker writes to a fixed /tmp/chromium that it reuses
 * whatever version put it there, and other checkouts on the machine may hold another version.
 * @returns {PackagedChromium | undefined}
 */
export function installedPackagedChromium() {
  let entry;
  try {
    entry = require.resolve(PACKAGED_CHROMIUM);
  } catch {
    return undefined;
  }
  // The package exports only its entry point, so its root is found by walking up from there.
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    const { name, version } = JSON.parse(readFileSync(manifest, "utf8"));
    if (name !== PACKAGED_CHROMIUM) continue;
    const archive = join(dir, "bin/chromium.br");
    return existsSync(archive) ? { archive, version: String(version) } : undefined;
  }
  return undefined;
}

/**
 * Unpacks the packaged binary into `<cacheDir>/<version>/chromium` unless it is already there.
 * Written to a temporary name and renamed, so a process that is stopped halfway, or two that
 * unpack at once, never leave a truncated binary behind.
 * @param {PackagedChromium} packaged
 * @param {string} cacheDir
 * @returns {Promise<string>}
 */
export async function unpackChromium({ archive, version }, cacheDir) {
  const dir = join(cacheDir, version);
  const binary = join(dir, "chromium");
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const partial = join(mkdtempSync(join(dir, ".unpack-")), "chromium");
  try {
    await pipeline(
      createReadStream(archive),
      createBrotliDecompress(),
      createWriteStream(partial, { mode: 0o755 }),
    );
    renameSync(partial, binary);
  } catch (error) {
    throw new Error(
      `could not unpack ${PACKAGED_CHROMIUM} ${version} from ${archive} into ${dir}`,
      {
        cause: error,
      },
    );
  } finally {
    rmSync(dirname(partial), { recursive: true, force: true });
  }
  return binary;
}

/**
 * Where Chrome, Chromium and Edge install themselves, most common first.
 * @param {NodeJS.Platform} platform
 * @param {Record<string, string | undefined>} env
 * @returns {string[]}
 */
export function systemBrowserCandidates(platform, env) {
  if (platform === "darwin") {
    const apps = [
      "Google Chrome.app/Contents/MacOS/Google Chrome",
      "Chromium.app/Contents/MacOS/Chromium",
      "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    ];
    const roots = ["/Applications", ...(env.HOME ? [posix.join(env.HOME, "Applications")] : [])];
    return roots.flatMap((root) => apps.map((app) => posix.join(root, app)));
  }
  if (platform === "win32") {
    const executables = [
      "Google\\Chrome\\Application\\chrome.exe",
      "Chromium\\Application\\chrome.exe",
      "Microsoft\\Edge\\Application\\msedge.exe",
    ];
    const roots = [env.PROGRAMFILES, env["PROGRAMFILES(X86)"], env.LOCALAPPDATA].filter(
      (root) => typeof root === "string" && root !== "",
    );
    return executables.flatMap((exe) => roots.map((root) => win32.join(String(root), exe)));
  }
  const names = [
    "google-chrome",
    "google-chrome-stable",
    "chromium",
    "chromium-browser",
    "microsoft-edge",
    "microsoft-edge-stable",
  ];
  const path = (env.PATH ?? "").split(delimiter).filter((dir) => dir !== "");
  return names.flatMap((name) => path.map((dir) => join(dir, name)));
}

/**
 * A regular file this process may run. A path hidden by bind-mounting /dev/null over it, or
 * pointing at a folder, is not one.
 * @param {string} path
 * @param {NodeJS.Platform} platform
 */
export function isExecutableFile(path, platform) {
  try {
    if (!statSync(path).isFile()) return false;
    if (platform !== "win32") accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * @param {FindOptions} [options]
 * @returns {Promise<FoundChromium>}
 */
export async function findChromium(options = {}) {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const packaged = "packaged" in options ? options.packaged : installedPackagedChromium();

  const explicit = env.CHROMIUM_PATH;
  if (explicit) {
    if (isExecutableFile(explicit, platform)) return { path: explicit, source: "CHROMIUM_PATH" };
    throw new ChromiumNotFoundError(
      `CHROMIUM_PATH is ${JSON.stringify(explicit)}, which is not an executable file: point it at a Chrome, Chromium or Edge executable, or unset it to use the packaged Chromium or an installed browser`,
      [explicit],
    );
  }

  const shipsForThisMachine = platform === "linux" && arch === "x64";
  if (shipsForThisMachine && packaged) {
    const path = await unpackChromium(packaged, options.cacheDir ?? DEFAULT_CACHE_DIR);
    return { path, source: `${PACKAGED_CHROMIUM} ${packaged.version}` };
  }

  const candidates = systemBrowserCandidates(platform, env);
  const installed = candidates.find((path) => isExecutableFile(path, platform));
  if (installed) return { path: installed, source: "installed browser" };

  const packagedWay = shipsForThisMachine
    ? `run \`pnpm install\`: it brings ${PACKAGED_CHROMIUM} (a devDependency of packages/docs), which is missing from node_modules`
    : `${PACKAGED_CHROMIUM} ships Chromium for linux-x64 only, not for ${platform}-${arch}`;
  throw new ChromiumNotFoundError(
    [
      "no Chromium for the docs tests and bench. Any one of these provides it:",
      `  - ${packagedWay};`,
      `  - install Google Chrome, Chromium or Microsoft Edge (looked at: ${candidates.join(", ") || "an empty PATH"});`,
      "  - set CHROMIUM_PATH to a Chrome, Chromium or Edge executable.",
    ].join("\n"),
    candidates,
  );
}

/**
 * Launches headless Chromium with a fresh profile (a temp `--user-data-dir`, removed on close).
 * @param {{ width?: number, height?: number }} [viewport]
 */
export async function launchChromium({ width = 1400, height = 900 } = {}) {
  const found = await findChromium();
  const userDataDir = mkdtempSync(join(tmpdir(), "wechatpay-docs-chromium-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: found.path,
      headless: true,
      args: FLAGS,
      viewport: { width, height },
      locale: "zh-CN",
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    const message = error instanceof Error ? error.message : String(error);
    // The packaged build links the system's NSS (libnss3), which a bare Linux may lack.
    const hint = /error while loading shared libraries/.test(message)
      ? " (a shared library is missing: on Debian or Ubuntu, apt-get install libnss3; or set CHROMIUM_PATH)"
      : "";
    throw new Error(`Chromium from ${found.source} (${found.path}) did not start${hint}`, {
      cause: error,
    });
  }
  return {
    context,
    source: found.source,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
