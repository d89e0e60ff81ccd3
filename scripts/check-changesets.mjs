// Fails when a publishable package's source changed since the base commit and no pending
// changeset names it. An empty changeset (`---\n---`, from `pnpm changeset --empty`) says "no
// release needed" and covers every package. Run by .ci/run; `pnpm changeset:check` locally.
//
// Base: $CHANGESET_BASE, else `git merge-base HEAD origin/main` (unless that is HEAD), else the newest release tag
// `@wechatpay-marketing/*@*`, else the root commit. Changed files: the working tree (committed,
// staged, unstaged and untracked) against that base.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { join, posix, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * @typedef {{ name: string, dir: string, sources: string[] }} PublishablePackage
 *   `dir` is the package folder relative to the repository root (posix separators); `sources` are
 *   globs, relative to the root, of files outside `dir` that are build inputs of the package.
 * @typedef {"major" | "minor" | "patch" | "none"} Bump
 * @typedef {{ file: string, releases: { name: string, type: Bump }[] }} Changeset
 * @typedef {{ name: string, files: string[], coveredBy: string[] }} ChangedPackage
 */

const BUMPS = new Set(["major", "minor", "patch", "none"]);

/**
 * Files that change no published behaviour: tests and their fixtures, benchmarks, and the READMEs
 * and changelogs (a README is published, but a wording fix is not worth a release).
 */
const NOT_RELEASE_RELEVANT = [
  /(^|\/)[^/]+\.test(-d)?\.[cm]?[jt]sx?$/,
  /(^|\/)(test|tests|__tests__|__fixtures__|bench)\//,
  /(^|\/)vitest\.config\.[cm]?[jt]s$/,
  /(^|\/)(README|CHANGELOG)\.md$/i,
];

/** @param {string} file a path relative to the repository root, posix separators */
export function isReleaseRelevant(file) {
  return !NOT_RELEASE_RELEVANT.some((pattern) => pattern.test(file));
}

/** Minimal glob: `**` any depth, `*` within one segment. */
export function globToRegExp(glob) {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === "*" && glob[i + 1] === "*") {
      // `dir/**` matches everything below dir; `**/x` matches x at any depth.
      source += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (char === "*") {
      source += "[^/]*";
    } else {
      source += char.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}

/**
 * The publishable packages a changed file belongs to: the package whose folder holds it (the
 * deepest one), and every package that lists it among its outside build inputs.
 * @param {string} file
 * @param {PublishablePackage[]} packages
 * @returns {string[]}
 */
export function packagesOfFile(file, packages) {
  const owners = new Set();
  const holder = packages
    .filter((pkg) => file.startsWith(`${pkg.dir}/`))
    .sort((a, b) => b.dir.length - a.dir.length)[0];
  if (holder) owners.add(holder.name);
  for (const pkg of packages) {
    if (pkg.sources.some((glob) => globToRegExp(glob).test(file))) owners.add(pkg.name);
  }
  return [...owners];
}

/**
 * Parses a changeset file: YAML front matter of `"package": bump` lines, then the summary.
 * @param {string} file name, for messages
 * @param {string} text
 * @returns {Changeset}
 */
export function parseChangeset(file, text) {
  const match = /^---[ \t]*\r?\n([\s\S]*?)^---[ \t]*$/m.exec(text);
  if (match?.index !== 0) {
    throw new Error(`${file}: no front matter (a changeset starts with a --- block)`);
  }
  const releases = [];
  for (const line of (match[1] ?? "").split(/\r?\n/)) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    const release = /^\s*(["']?)([^"':]+)\1\s*:\s*(\w+)\s*$/.exec(line);
    if (!release || !BUMPS.has(release[3] ?? "")) {
      throw new Error(
        `${file}: cannot read "${line.trim()}" (expected "package": major|minor|patch)`,
      );
    }
    releases.push({
      name: /** @type {string} */ (release[2]),
      type: /** @type {Bump} */ (release[3]),
    });
  }
  return { file, releases };
}

/**
 * The decision: which changed packages no pending changeset covers.
 * @param {{ changedFiles: string[], packages: PublishablePackage[], changesets: Changeset[] }} input
 * @returns {{ changed: ChangedPackage[], uncovered: string[], unknown: { file: string, name: string }[], empty: string[] }}
 */
export function findUncoveredPackages({ changedFiles, packages, changesets }) {
  const known = new Set(packages.map((pkg) => pkg.name));
  const unknown = changesets.flatMap((changeset) =>
    changeset.releases
      .filter((release) => !known.has(release.name))
      .map((release) => ({ file: changeset.file, name: release.name })),
  );
  const empty = changesets.filter((c) => c.releases.length === 0).map((c) => c.file);

  /** @type {Map<string, string[]>} */
  const filesByPackage = new Map();
  for (const file of changedFiles) {
    if (!isReleaseRelevant(file)) continue;
    for (const name of packagesOfFile(file, packages)) {
      filesByPackage.set(name, [...(filesByPackage.get(name) ?? []), file]);
    }
  }
  const changed = [...filesByPackage]
    .map(([name, files]) => ({
      name,
      files,
      coveredBy: [
        ...changesets
          .filter((c) => c.releases.some((release) => release.name === name))
          .map((c) => c.file),
        ...empty,
      ],
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const uncovered = changed.filter((pkg) => pkg.coveredBy.length === 0).map((pkg) => pkg.name);
  return { changed, uncovered, unknown, empty };
}

// ---------------------------------------------------------------------------------------------
// The I/O around the decision.

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));

function git(args) {
  return execFileSync("git", args, {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function gitOrUndefined(args) {
  try {
    return git(args).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** @returns {{ commit: string, how: string }} */
export function findBase(env = process.env) {
  if (env.CHANGESET_BASE) {
    const commit = gitOrUndefined(["rev-parse", "--verify", `${env.CHANGESET_BASE}^{commit}`]);
    if (!commit) throw new Error(`CHANGESET_BASE=${env.CHANGESET_BASE} is not a commit here`);
    return { commit, how: `CHANGESET_BASE=${env.CHANGESET_BASE}` };
  }
  if (gitOrUndefined(["rev-parse", "--verify", "--quiet", "refs/remotes/origin/main"])) {
    const commit = gitOrUndefined(["merge-base", "HEAD", "origin/main"]);
    // A fresh clone of main (CI) has origin/main at HEAD: comparing with it would check nothing,
    // so fall through to the last release.
    const head = git(["rev-parse", "HEAD"]).trim();
    if (commit && commit !== head) return { commit, how: "merge-base HEAD origin/main" };
  }
  const tag = gitOrUndefined([
    "tag",
    "--list",
    "@wechatpay-marketing/*@*",
    "--sort=-creatordate",
  ])?.split("\n")[0];
  if (tag)
    return { commit: git(["rev-parse", `${tag}^{commit}`]).trim(), how: `release tag ${tag}` };
  const rootCommit = git(["rev-list", "--max-parents=0", "HEAD"]).trim().split("\n").at(-1);
  if (!rootCommit) throw new Error("no commit to compare with");
  return { commit: rootCommit, how: "root commit (no origin/main, no release tag)" };
}

export function listChangedFiles(base) {
  const split = (out) => out.split("\0").filter(Boolean);
  return [
    ...new Set([
      ...split(git(["diff", "--name-only", "--no-renames", "-z", base, "--"])),
      ...split(git(["ls-files", "--others", "--exclude-standard", "-z"])),
    ]),
  ].sort();
}

/** Publishable workspace packages (not private) under packages/, with their outside inputs. */
export function readPublishablePackages() {
  const packagesDir = join(root, "packages");
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, "package.json")),
    )
    .map((entry) => {
      const dir = posix.join("packages", entry.name);
      const manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
      return { manifest, dir };
    })
    .filter(({ manifest }) => !manifest.private)
    .map(({ manifest, dir }) => ({ name: manifest.name, dir, sources: outsideBuildInputs(dir) }));
}

/**
 * Files outside a package that turbo counts as its build inputs (`$TURBO_ROOT$/…` in the package's
 * turbo.json), e.g. specs/marketing/** for the openapi bundle: changing them changes what ships.
 */
function outsideBuildInputs(dir) {
  const turboFile = join(root, dir, "turbo.json");
  if (!existsSync(turboFile)) return [];
  const inputs = JSON.parse(readFileSync(turboFile, "utf8")).tasks?.build?.inputs ?? [];
  return inputs
    .filter((input) => input.startsWith("$TURBO_ROOT$/"))
    .map((input) => input.slice("$TURBO_ROOT$/".length));
}

export function readPendingChangesets() {
  const dir = join(root, ".changeset");
  return readdirSync(dir)
    .filter((name) => name.endsWith(".md") && name.toLowerCase() !== "readme.md")
    .sort()
    .map((name) => parseChangeset(`.changeset/${name}`, readFileSync(join(dir, name), "utf8")));
}

function main() {
  const base = findBase();
  const packages = readPublishablePackages();
  const changedFiles = listChangedFiles(base.commit);
  const changesets = readPendingChangesets();
  const result = findUncoveredPackages({ changedFiles, packages, changesets });

  console.log(`changesets: base ${base.commit.slice(0, 12)} (${base.how})`);
  console.log(
    `changesets: ${changedFiles.length} changed file(s), ${changesets.length} pending changeset(s)`,
  );
  for (const pkg of result.changed) {
    const shown = pkg.files.slice(0, 3).join(", ") + (pkg.files.length > 3 ? ", …" : "");
    const verdict = pkg.coveredBy.length ? `covered by ${pkg.coveredBy.join(", ")}` : "NOT COVERED";
    console.log(`  ${pkg.name}: ${pkg.files.length} file(s) (${shown}): ${verdict}`);
  }
  if (result.changed.length === 0) console.log("  no package source changed");

  let failed = false;
  for (const { file, name } of result.unknown) {
    console.error(`changesets: ${file} names ${name}, which is not a publishable package`);
    failed = true;
  }
  if (result.uncovered.length > 0) {
    console.error(
      `changesets: no changeset for ${result.uncovered.join(", ")}.\n` +
        "  Record the change with `pnpm changeset` (see CONTRIBUTING.md for major/minor/patch),\n" +
        "  or, if it needs no release, add an empty one with `pnpm changeset --empty`.",
    );
    failed = true;
  }
  if (failed) process.exit(1);
  console.log("changesets: ok");
}

const invoked = process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href;
if (invoked === import.meta.url) {
  try {
    main();
  } catch (error) {
    console.error(`changesets: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
