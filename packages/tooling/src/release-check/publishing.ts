// Publishing the versioned copy to the rehearsal's registry, and installing from it.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run, tail } from "../process.js";
import type { WorkspacePackage } from "../workspace.js";
import { assert, type Rehearsal } from "./environment.js";
import { publishedVersion, type Registry, SCOPE } from "./registry.js";

const FAKE_TOKEN = "release-check-fake-token";

/** `pnpm publish -r` to the registry; every package lands with no workspace: range left. */
export async function publishAll(r: Rehearsal, registry: Registry, packages: WorkspacePackage[]) {
  const host = registry.url.replace(/^http:/, "");
  writeFileSync(
    join(r.copy, ".npmrc"),
    `${host}:_authToken=${FAKE_TOKEN}\n${SCOPE}:registry=${registry.url}\n`,
  );
  const { output } = await r.pnpm([
    "publish",
    "-r",
    "--registry",
    registry.url,
    "--no-git-checks",
    "--report-summary",
  ]);
  const summary = JSON.parse(readFileSync(join(r.copy, "pnpm-publish-summary.json"), "utf8")) as {
    publishedPackages: { name: string; version: string }[];
  };
  const published = summary.publishedPackages.map((p) => `${p.name}@${p.version}`).sort();
  const expected = packages.map((p) => `${p.name}@${p.version}`).sort();
  assert(
    published.join() === expected.join(),
    `published ${published.join(", ")}; expected ${expected.join(", ")}\n${tail(output, 20)}`,
  );
  for (const pkg of packages) {
    const manifest = await publishedVersion(registry, pkg.name, pkg.version);
    assert(manifest, `${pkg.name}@${pkg.version} is not in the registry`);
    for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
      assert(!range.startsWith("workspace:"), `${pkg.name} was published with ${dep}@${range}`);
    }
    console.log(`  ${pkg.name}@${pkg.version} (${manifest.dist.integrity.slice(0, 22)}…)`);
  }
}

/** npm install from the rehearsal's registry, with a cache of its own. */
export function npmInstall(r: Rehearsal, registry: Registry, cwd: string, specs: string[]) {
  return run(
    "npm",
    [
      "install",
      "--registry",
      registry.url,
      "--cache",
      join(r.temp, "npm-cache"),
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      ...specs,
    ],
    { cwd, env: r.env, timeoutMs: 600_000 },
  );
}

/** Every @wechatpay-marketing package the consumer's lockfile holds is the tarball published here. */
export async function checkInstalledFromRegistry(registry: Registry, consumer: string) {
  const lock = JSON.parse(readFileSync(join(consumer, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version: string; integrity?: string }>;
  };
  const ours = Object.entries(lock.packages).filter(([path]) =>
    path.includes(`node_modules/${SCOPE}/`),
  );
  assert(
    ours.length >= 3,
    `expected client, signer, sandbox (and openapi) installed, got ${ours.map(([p]) => p)}`,
  );
  for (const [path, entry] of ours) {
    const name = path.slice(path.lastIndexOf(`${SCOPE}/`));
    const published = await publishedVersion(registry, name, entry.version);
    assert(
      published && published.dist.integrity === entry.integrity,
      `${path}@${entry.version} is not the tarball published to the local registry`,
    );
    console.log(`  ${name}@${entry.version} from the local registry`);
  }
}
