// What installing a package costs a consumer: packages and bytes under node_modules, ours and
// other WeChat Pay SDKs', each installed alone into an empty project.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../process.js";

/** Other WeChat Pay SDKs on npm, measured the same way for comparison (pinned, so runs compare). */
export const OTHER_SDKS = ["wechatpay-axios-plugin@0.9.6", "wechatpay-node-v3@2.2.1"];

export interface Footprint {
  spec: string;
  /** Distinct name@version under node_modules, the way npm ls counts them. */
  packages: number;
  /** Package folders (one package may sit in several). */
  folders: number;
  names: string[];
  /** Apparent size of the files (du -sb). */
  bytes: number;
  /** Blocks on disk (du -sk). */
  onDisk: number;
}

/** Distinct name@version of every package folder under `nodeModules`, nested ones included. */
export function countInstalledPackages(nodeModules: string) {
  const distinct = new Set<string>();
  let folders = 0;
  const visit = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith("@")) {
        visit(path);
        continue;
      }
      const manifest = join(path, "package.json");
      if (existsSync(manifest)) {
        const { name, version } = JSON.parse(readFileSync(manifest, "utf8")) as {
          name: string;
          version: string;
        };
        distinct.add(`${name}@${version}`);
        folders++;
      }
      visit(join(path, "node_modules"));
    }
  };
  visit(nodeModules);
  return { packages: distinct.size, folders, names: [...distinct].sort() };
}

function diskUsage(dir: string) {
  const du = (flag: string) =>
    Number(execFileSync("du", [flag, dir], { encoding: "utf8" }).split("\t")[0]);
  return { bytes: du("-sb"), onDisk: du("-sk") * 1024 };
}

/** `npm install <spec>` into a new project under `dir`, then counts and sizes its node_modules. */
export async function measureFootprint(
  spec: string,
  dir: string,
  install: { registry: string; cache: string; env: NodeJS.ProcessEnv },
): Promise<Footprint> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "footprint", private: true })}\n`,
  );
  await run(
    "npm",
    [
      "install",
      "--registry",
      install.registry,
      "--cache",
      install.cache,
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      spec,
    ],
    { cwd: dir, env: install.env, timeoutMs: 600_000 },
  );
  const nodeModules = join(dir, "node_modules");
  return { spec, ...countInstalledPackages(nodeModules), ...diskUsage(nodeModules) };
}

const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(2)} MB`;

/** The footprint table, ours first, and how ours compares with each other SDK. */
export function reportFootprints(ours: Footprint, others: Footprint[]): void {
  console.table(
    [ours, ...others].map((f) => ({
      package: f.spec,
      packages: f.packages,
      "node_modules (du -sb)": mb(f.bytes),
      "on disk (du -sk)": mb(f.onDisk),
    })),
  );
  console.log(`  ${ours.spec}: ${ours.names.join(", ")}`);
  for (const other of others) {
    console.log(
      `  ${ours.spec} installs ${(ours.packages / other.packages).toFixed(2)}x the packages and ` +
        `${(ours.bytes / other.bytes).toFixed(2)}x the bytes of ${other.spec}`,
    );
  }
}
