// `pnpm lint` (per package, through turbo) and `pnpm lint:packages`: checks what a publishable
// package would publish, on the tarball `pnpm pack` makes (workspace: ranges rewritten, the
// `files` allowlist applied):
//   - publint --strict (warnings fail too);
//   - attw --profile esm-only on that tarball (as `attw --pack`, without a .tgz in the package);
//   - DESIGN.md's package conventions (conventions.ts), source maps that lead to shipped files
//     (source-maps.ts) and, for openapi and docs, what a package that is not only JS must hold
//     (profiles.ts).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { toolBin } from "../bins.js";
import { pnpmCommand, run, seconds } from "../process.js";
import type { WorkspacePackage } from "../workspace.js";
import { checkConventions, type PackedManifest } from "./conventions.js";
import { PROFILES } from "./profiles.js";
import { checkSourceMaps } from "./source-maps.js";

export interface LintRow {
  name: string;
  publint: string;
  attw: string;
  content: string;
  tarball: string;
}

interface AttwJson {
  analysis?: { types?: unknown; entrypoints?: Record<string, unknown> };
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, path) : [path];
  });
}

/** The tarball `pnpm pack` makes, unpacked under `workDir`. */
async function pack(pkg: WorkspacePackage, workDir: string) {
  const [pnpm, pnpmArgs] = pnpmCommand();
  const packDir = join(workDir, basename(pkg.dir));
  await run(pnpm, [...pnpmArgs, "pack", "--pack-destination", packDir], { cwd: pkg.dir });
  const tgz = readdirSync(packDir).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error(`${pkg.name}: pnpm pack made no tarball`);
  const tarball = join(packDir, tgz);
  await run("tar", ["xzf", tarball, "-C", packDir]);
  const contents = join(packDir, "package");
  return { tarball, contents, files: listFiles(contents) };
}

async function publint(pkg: WorkspacePackage) {
  const result = await run(toolBin("publint"), ["--strict", "--pack", "pnpm"], {
    cwd: pkg.dir,
    allowFailure: true,
  });
  if (result.exitCode !== 0) return { row: "FAILED", problem: `publint:\n${result.output.trim()}` };
  const messages = result.output
    .split("\n")
    .filter((line) => line.trim() && !/^(Running publint|Packing files|Linting)/.test(line));
  return { row: messages.join(" ").trim() || "ok" };
}

async function attw(tarball: string, profile: (typeof PROFILES)[string] | undefined) {
  const attwArgs = profile?.attw;
  if (attwArgs === "no-js") {
    const result = await run(
      toolBin("attw"),
      [tarball, "--profile", "esm-only", "--format", "json"],
      { allowFailure: true },
    );
    if (result.exitCode === 0 && parseJson<AttwJson>(result.stdout)?.analysis?.types === false) {
      return { row: "ok: no JS entry point (static files only)" };
    }
    return {
      row: "FAILED",
      problem: `attw: a static-files package now has JS entry points or types:\n${result.output}`,
    };
  }
  const args = [tarball, "--profile", "esm-only", ...(attwArgs ?? [])];
  const result = await run(toolBin("attw"), [...args, "--format", "json"], { allowFailure: true });
  const entrypoints = Object.keys(parseJson<AttwJson>(result.stdout)?.analysis?.entrypoints ?? {});
  if (result.exitCode === 0 && entrypoints.length > 0) {
    return { row: `ok: ${entrypoints.join(" ")}${attwArgs ? ` (${attwArgs.join(" ")})` : ""}` };
  }
  const readable = await run(toolBin("attw"), args, { allowFailure: true });
  return { row: "FAILED", problem: `attw:\n${readable.output.trim()}` };
}

/** Lints one package; returns a row for the summary and the problems found. */
export async function lintPackage(pkg: WorkspacePackage, workDir: string) {
  const profile = PROFILES[pkg.name];
  const { tarball, contents, files } = await pack(pkg, workDir);
  const published = await publint(pkg);
  const types = await attw(tarball, profile);
  const manifest = JSON.parse(
    readFileSync(join(contents, "package.json"), "utf8"),
  ) as PackedManifest;
  const contentProblems = [
    ...checkConventions(manifest, files),
    ...checkSourceMaps(contents, files),
    ...((await profile?.extra?.({ pkg, contents, files })) ?? []),
  ];
  const row: LintRow = {
    name: pkg.name,
    publint: published.row,
    attw: types.row,
    content: contentProblems.length === 0 ? "ok" : "FAILED",
    tarball: `${files.length} files, ${(statSync(tarball).size / 1024).toFixed(1)} kB`,
  };
  const problems = [published.problem, types.problem, ...contentProblems].filter(
    (p): p is string => p !== undefined,
  );
  return { row, problems };
}

/** Lints each package and prints the outcome; resolves false when any has a problem. */
export async function lintPackages(packages: WorkspacePackage[], root: string): Promise<boolean> {
  const workDir = mkdtempSync(join(tmpdir(), "lint-packages-"));
  const rows: (LintRow & { time: string })[] = [];
  let ok = true;
  try {
    for (const pkg of packages) {
      const started = performance.now();
      const { row, problems } = await lintPackage(pkg, workDir);
      rows.push({ ...row, time: seconds(performance.now() - started) });
      const where = relative(root, pkg.dir) || ".";
      if (problems.length > 0) {
        ok = false;
        console.error(`✘ ${pkg.name} (${where}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
      } else {
        console.log(
          `✔ ${pkg.name} (${where}): publint ${row.publint}; attw ${row.attw}; ${row.tarball}`,
        );
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  if (packages.length > 1) console.table(rows);
  return ok;
}
