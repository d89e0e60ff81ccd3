// `pnpm changeset:check`: every package changed since the base is named by a changeset added since
// the base. The changesets CLI does the reading: `changeset status --since=<base>` plans the
// release from the changesets added since the base (and fails when packages changed and there is
// none at all), and @changesets/git lists the changed packages with the `changedFilePatterns` of
// .changeset/config.json. What changesets leaves open is closed here: one changeset must name
// each changed package. An empty changeset (`pnpm changeset --empty`) names none, so it covers
// none: a typo fix in one package cannot silence a later change in another.
//
// A private package whose files ship inside publishable ones (the spec source, bundled by openapi
// and rendered by docs) lists them in its package.json, `"changesets": { "releasedIn": [...] }`:
// its changes need a changeset naming each of those.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { read as readConfig } from "@changesets/config";
import { getChangedPackagesSinceRef } from "@changesets/git";
import type { ReleasePlan } from "@changesets/types";
import { getPackages } from "@manypkg/get-packages";
import { toolBin } from "./bins.js";
import { run } from "./process.js";
import { type WorkspacePackage, workspacePackages } from "./workspace.js";

/** A package with release-relevant changes since the base. */
export interface ChangedPackage {
  name: string;
  private: boolean;
  /** For a private package: the publishable packages its files ship in. */
  releasedIn: string[];
}

/** A changeset added since the base: its id (file name) and the packages it names. */
export interface AddedChangeset {
  id: string;
  names: string[];
}

/** A publishable package that needs a changeset and has none, and the changed package behind it. */
export interface Uncovered {
  name: string;
  /** The package whose change asks for it: itself, or a private package that ships in it. */
  because: string;
}

export interface CheckResult {
  /** Publishable package -> the changesets naming it, for every package that needs one. */
  covered: Map<string, string[]>;
  uncovered: Uncovered[];
  /** Changesets that name no package. */
  empty: string[];
}

/** The decision: which publishable packages need a changeset, and which of them have none. */
export function checkChangesets(
  changed: ChangedPackage[],
  changesets: AddedChangeset[],
): CheckResult {
  const covered = new Map<string, string[]>();
  const uncovered: Uncovered[] = [];
  const need = (name: string, because: string) => {
    if (covered.has(name) || uncovered.some((u) => u.name === name)) return;
    const naming = changesets.filter((c) => c.names.includes(name)).map((c) => c.id);
    if (naming.length > 0) covered.set(name, naming);
    else uncovered.push({ name, because });
  };
  for (const pkg of changed) {
    if (!pkg.private) need(pkg.name, pkg.name);
    for (const target of pkg.releasedIn) need(target, pkg.name);
  }
  return {
    covered,
    uncovered: uncovered.sort((a, b) => a.name.localeCompare(b.name)),
    empty: changesets.filter((c) => c.names.length === 0).map((c) => c.id),
  };
}

/**
 * `"changesets": { "releasedIn": [...] }` of a private package: publishable packages of the
 * workspace that depend on it. Anything else is a mistake in that manifest, named here.
 */
export function releasedIn(pkg: WorkspacePackage, packages: WorkspacePackage[]): string[] {
  const field = (pkg.manifest.changesets as { releasedIn?: unknown } | undefined)?.releasedIn;
  if (field === undefined) return [];
  if (!Array.isArray(field) || !field.every((name) => typeof name === "string")) {
    throw new Error(`${pkg.name}: "changesets.releasedIn" must be a list of package names`);
  }
  for (const name of field) {
    const target = packages.find((p) => p.name === name);
    if (!target || target.manifest.private) {
      throw new Error(
        `${pkg.name}: "changesets.releasedIn" names ${name}, not a publishable workspace package`,
      );
    }
    const { dependencies = {}, devDependencies = {} } = target.manifest as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    if (!(pkg.name in dependencies) && !(pkg.name in devDependencies)) {
      throw new Error(
        `${pkg.name}: "changesets.releasedIn" names ${name}, which does not depend on it`,
      );
    }
  }
  return field;
}

// ---------------------------------------------------------------------------------------------
// The base to compare with.

function git(root: string, args: string[]): string | undefined {
  try {
    return (
      execFileSync("git", args, {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/**
 * $CHANGESET_BASE, else `git merge-base HEAD origin/main` (unless that is HEAD: a fresh clone of
 * main in CI), else the newest release tag `@wechatpay-marketing/*@*`, else the root commit.
 */
export function findBase(root: string, env = process.env): { commit: string; how: string } {
  if (env.CHANGESET_BASE) {
    const commit = git(root, ["rev-parse", "--verify", `${env.CHANGESET_BASE}^{commit}`]);
    if (!commit) throw new Error(`CHANGESET_BASE=${env.CHANGESET_BASE} is not a commit here`);
    return { commit, how: `CHANGESET_BASE=${env.CHANGESET_BASE}` };
  }
  const head = git(root, ["rev-parse", "HEAD"]);
  if (!head) throw new Error(`${root} has no commit to compare with`);
  if (git(root, ["rev-parse", "--verify", "--quiet", "refs/remotes/origin/main"])) {
    const commit = git(root, ["merge-base", "HEAD", "origin/main"]);
    if (commit && commit !== head) return { commit, how: "merge-base HEAD origin/main" };
  }
  const tag = git(root, [
    "tag",
    "--list",
    "@wechatpay-marketing/*@*",
    "--sort=-creatordate",
  ])?.split("\n")[0];
  const tagged = tag && git(root, ["rev-parse", `${tag}^{commit}`]);
  if (tag && tagged) return { commit: tagged, how: `release tag ${tag}` };
  const first = git(root, ["rev-list", "--max-parents=0", "HEAD"])?.split("\n").at(-1);
  if (!first) throw new Error("no commit to compare with");
  return { commit: first, how: "root commit (no origin/main, no release tag)" };
}

// ---------------------------------------------------------------------------------------------
// Reading the workspace through the changesets libraries.

/** `changeset status --since=<base>`: the changesets added since the base, as changesets read them. */
export async function readAddedChangesets(root: string, base: string): Promise<AddedChangeset[]> {
  const dir = mkdtempSync(join(tmpdir(), "changeset-status-"));
  try {
    const output = join(dir, "status.json");
    const status = await run(
      toolBin("changeset"),
      ["status", `--since=${base}`, `--output=${output}`],
      { cwd: root, allowFailure: true },
    );
    // changesets' own check (changed packages, no changeset at all) is one case of ours: the
    // caller names the packages. Any other failure is a changeset it cannot read.
    if (status.exitCode !== 0 && /no changesets were found/.test(status.output)) return [];
    if (status.exitCode !== 0) {
      throw new Error(
        `changeset status --since=${base.slice(0, 12)} failed:\n${status.output.trim()}`,
      );
    }
    const plan = JSON.parse(readFileSync(output, "utf8")) as ReleasePlan;
    return plan.changesets
      .map((c) => ({ id: c.id, names: c.releases.map((r) => r.name) }))
      .sort((a, b) => a.id.localeCompare(b.id));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Packages with files changed since the base that match `changedFilePatterns`. */
export async function readChangedPackages(root: string, base: string): Promise<ChangedPackage[]> {
  const manypkg = await getPackages(root);
  const config = await readConfig(root, manypkg);
  const changed = await getChangedPackagesSinceRef({
    cwd: root,
    ref: base,
    changedFilePatterns: config.changedFilePatterns,
  });
  const packages = workspacePackages(root);
  return changed
    .filter(({ packageJson }) => !config.ignore.includes(packageJson.name))
    .map(({ packageJson }) => {
      const pkg = packages.find((p) => p.name === packageJson.name);
      if (!pkg) throw new Error(`${packageJson.name} is not a workspace package`);
      return {
        name: pkg.name,
        private: pkg.manifest.private === true,
        releasedIn: pkg.manifest.private ? releasedIn(pkg, packages) : [],
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Changeset files git does not track yet: `changeset status --since` cannot see them. */
function untrackedChangesets(root: string): string[] {
  return (git(root, ["ls-files", "--others", "--exclude-standard", "--", ".changeset/*.md"]) ?? "")
    .split("\n")
    .filter(Boolean);
}

/** The check as `pnpm changeset:check` runs it; resolves false when it fails. */
export async function runChangesetCheck(root: string, env = process.env): Promise<boolean> {
  const base = findBase(root, env);
  const changed = await readChangedPackages(root, base.commit);
  const changesets = await readAddedChangesets(root, base.commit);
  const result = checkChangesets(changed, changesets);

  console.log(`changesets: base ${base.commit.slice(0, 12)} (${base.how})`);
  console.log(
    `changesets: ${changed.length} changed package(s), ${changesets.length} changeset(s) added since`,
  );
  for (const [name, ids] of result.covered) console.log(`  ${name}: covered by ${ids.join(", ")}`);
  for (const { name, because } of result.uncovered) {
    console.log(`  ${name}: NOT COVERED${because === name ? "" : ` (${because} changed)`}`);
  }
  for (const pkg of changed.filter((p) => p.private && p.releasedIn.length === 0)) {
    console.log(`  ${pkg.name}: private, ships in no package, needs no changeset`);
  }
  if (result.empty.length > 0) {
    console.log(`  empty changesets (cover no package): ${result.empty.join(", ")}`);
  }
  const untracked = untrackedChangesets(root);
  if (result.uncovered.length === 0) {
    console.log("changesets: ok");
    return true;
  }
  console.error(
    `changesets: no changeset names ${result.uncovered.map((u) => u.name).join(", ")}.\n` +
      "  Record each change with `pnpm changeset` (CONTRIBUTING.md says which bump), naming every\n" +
      "  changed package; an empty changeset covers no package.",
  );
  if (untracked.length > 0) {
    console.error(
      `  Not seen because git does not track them yet (git add them): ${untracked
        .map((file) => relative(root, join(root, file)))
        .join(", ")}`,
    );
  }
  return false;
}
