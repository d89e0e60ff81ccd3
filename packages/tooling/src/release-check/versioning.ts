// The release the rehearsal makes in its copy: a sample changeset for every publishable package,
// `pnpm version-packages`, and what versioning must have done.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ReleasePlan } from "@changesets/types";
import { run, tail } from "../process.js";
import { OPENAPI_PACKAGE, readInfoVersion, SPEC_ROOT, SPECS_PACKAGE } from "../spec-version.js";
import { publishablePackages, type WorkspacePackage, workspacePackage } from "../workspace.js";
import { assert, copyBin, type Rehearsal } from "./environment.js";
import { SCOPE } from "./registry.js";

const CLIENT = `${SCOPE}/client`;
export const SAMPLE_CHANGESET = "release-check-sample";

/** Writes a patch changeset naming every publishable package; returns what changesets plans. */
export async function planSampleRelease({ copy, temp, pnpm }: Rehearsal) {
  const statusFile = join(temp, "status.json");
  const packages = publishablePackages(copy);
  writeFileSync(
    join(copy, `.changeset/${SAMPLE_CHANGESET}.md`),
    `---\n${packages.map((pkg) => `"${pkg.name}": patch`).join("\n")}\n---\n\n` +
      "Release rehearsal (`pnpm release:check`): a sample change so that every package gets a new version and a CHANGELOG entry.\n",
  );
  await pnpm(["exec", "changeset", "status", `--output=${statusFile}`]);
  const plan = JSON.parse(readFileSync(statusFile, "utf8")) as ReleasePlan;
  const planned = new Map(plan.releases.map((release) => [release.name, release.newVersion]));
  for (const pkg of packages) {
    assert(planned.has(pkg.name), `changeset status plans no release of ${pkg.name}`);
    console.log(`  ${pkg.name}: ${pkg.version} -> ${planned.get(pkg.name)}`);
  }
  return planned;
}

function checkVersioned(pkg: WorkspacePackage, planned: Map<string, string>) {
  assert(
    pkg.version === planned.get(pkg.name),
    `${pkg.name} is ${pkg.version}, changeset status planned ${planned.get(pkg.name)}`,
  );
  const changelog = join(pkg.dir, "CHANGELOG.md");
  assert(existsSync(changelog), `${pkg.name}: changeset version wrote no CHANGELOG.md`);
  const text = readFileSync(changelog, "utf8");
  assert(
    text.includes(`## ${pkg.version}`),
    `${pkg.name}: CHANGELOG.md has no "## ${pkg.version}"`,
  );
  assert(
    text.includes("Release rehearsal"),
    `${pkg.name}: CHANGELOG.md lacks the sample changeset`,
  );
  for (const field of ["dependencies", "devDependencies"] as const) {
    const deps = (pkg.manifest[field] ?? {}) as Record<string, string>;
    for (const [dep, range] of Object.entries(deps)) {
      if (dep.startsWith(`${SCOPE}/`) && !range.startsWith("workspace:")) {
        throw new Error(`${pkg.name} ${field}.${dep} became "${range}"`);
      }
    }
  }
}

/**
 * `pnpm version-packages` (changeset version, spec version sync, lockfile) and its checks: the
 * planned versions, CHANGELOG entries, the fixed openapi+client group, the spec's info.version,
 * no changeset left, and Biome clean on every file it touched.
 */
export async function versionPackages(
  { copy, env, pnpm }: Rehearsal,
  planned: Map<string, string>,
) {
  await pnpm(["run", "version-packages"]);
  const packages = publishablePackages(copy);
  for (const pkg of packages) checkVersioned(pkg, planned);

  const openapi = workspacePackage(copy, OPENAPI_PACKAGE).version;
  const client = workspacePackage(copy, CLIENT).version;
  assert(openapi === client, `fixed group broken: openapi ${openapi}, client ${client}`);
  const specRoot = join(workspacePackage(copy, SPECS_PACKAGE).dir, SPEC_ROOT);
  const infoVersion = readInfoVersion(readFileSync(specRoot, "utf8"));
  assert(infoVersion === openapi, `spec info.version ${infoVersion}, openapi ${openapi}`);
  const pending = readdirSync(join(copy, ".changeset")).filter(
    (f) => f.endsWith(".md") && f !== "README.md",
  );
  assert(pending.length === 0, `changesets left after versioning: ${pending.join(", ")}`);

  const changed = execFileSync("git", ["status", "--porcelain"], { cwd: copy, encoding: "utf8" });
  console.log(`  changed:\n${changed.trimEnd().replace(/^/gm, "    ")}`);
  console.log(`  ${SPEC_ROOT} info.version = ${infoVersion}`);
  const clientChangelog = readFileSync(
    join(workspacePackage(copy, CLIENT).dir, "CHANGELOG.md"),
    "utf8",
  );
  console.log(
    `  client CHANGELOG.md:\n${tail(clientChangelog.split("\n").slice(0, 12).join("\n"), 12).replace(/^/gm, "    ")}`,
  );

  // The release commit must pass the repo's lint: Biome over every file versioning touched.
  const touched = changed
    .split("\n")
    .map((line) => line.slice(3).trim())
    .filter(
      (f) =>
        f &&
        !f.endsWith("CHANGELOG.md") &&
        !f.startsWith(".changeset/") &&
        existsSync(join(copy, f)),
    );
  await run(copyBin(copy, "biome"), ["check", ...touched], { cwd: copy, env });
  console.log(`  biome check: ${touched.length} touched file(s) clean`);
  return packages;
}
