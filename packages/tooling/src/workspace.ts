// The workspace the tooling works on: the one holding the current directory (a package's scripts
// run in the package, the root's in the root, the release rehearsal in its throw-away copy).
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, lstatSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { getPackagesSync } from "@manypkg/get-packages";

export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  [field: string]: unknown;
}

export interface WorkspacePackage {
  name: string;
  version: string;
  /** Absolute path of the package folder. */
  dir: string;
  manifest: PackageManifest;
}

/** The nearest folder at or above `from` that holds pnpm-workspace.yaml. */
export function findWorkspaceRoot(from = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no pnpm-workspace.yaml at or above ${from}`);
    dir = parent;
  }
}

/** Every workspace package (not the root), sorted by name. */
export function workspacePackages(root: string): WorkspacePackage[] {
  return getPackagesSync(root)
    .packages.map(({ dir, packageJson }) => {
      const manifest = packageJson as unknown as PackageManifest;
      return { name: manifest.name, version: manifest.version, dir, manifest };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The packages a release publishes: those not marked private. */
export function publishablePackages(root: string): WorkspacePackage[] {
  return workspacePackages(root).filter((pkg) => !pkg.manifest.private);
}

/** The workspace package called `name`; throws naming it when there is none. */
export function workspacePackage(root: string, name: string): WorkspacePackage {
  const found = workspacePackages(root).find((pkg) => pkg.name === name);
  if (!found) throw new Error(`the workspace at ${root} has no package ${name}`);
  return found;
}

/** What git would see: tracked and untracked files, not ignored ones (no node_modules, no dist). */
export function listWorkingTree(root: string): string[] {
  const files = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  )
    .split("\0")
    .filter(Boolean);
  return [...new Set(files)].filter((file) => {
    const path = join(root, file);
    return existsSync(path) && !lstatSync(path).isDirectory(); // deleted, or a submodule
  });
}

/** Copies the working tree into `target`, commits it there as one snapshot; returns the file count. */
export function snapshotWorkingTree(root: string, target: string): number {
  const files = listWorkingTree(root);
  for (const file of files) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    copyFileSync(join(root, file), join(target, file));
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: target, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git(
    "-c",
    "user.name=wechatpay-marketing-tooling",
    "-c",
    "user.email=tooling@localhost",
    "-c",
    "commit.gpgsign=false",
    "commit",
    "-q",
    "-m",
    "snapshot",
  );
  return files.length;
}

/** `git status --porcelain` of the workspace, untracked files listed one by one. */
export function gitStatus(root: string): string {
  return execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], {
    cwd: root,
    encoding: "utf8",
  });
}
