// `wechatpay-marketing-tooling <command>`: the repo's tooling behind the package and root scripts.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { toolBin } from "./bins.js";
import { runChangesetCheck } from "./changesets.js";
import { lintPackages } from "./package-lint/lint-package.js";
import { run, step } from "./process.js";
import { releaseCheck } from "./release-check/index.js";
import { syncSpecVersion } from "./spec-version.js";
import { findWorkspaceRoot, publishablePackages } from "./workspace.js";

const USAGE = `Usage: wechatpay-marketing-tooling <command>

  lint-package [dir…]        publint, attw and the package conventions on the packed package in
                             each dir (default: the current one); expects it built
  lint-packages [--no-build] the same for every publishable package, built first through turbo
  check-changesets           every package changed since the base is named by a changeset
  sync-spec-version          sets the spec's info.version to the openapi package's version
  release-check              the release rehearsal on a local registry (CONTRIBUTING.md)`;

type Command = (args: string[]) => Promise<boolean>;

const COMMANDS: Record<string, Command> = {
  "lint-package": async (args) => {
    const dirs = (args.length > 0 ? args : ["."]).map((dir) => resolve(dir));
    const root = findWorkspaceRoot(dirs[0]);
    const packages = publishablePackages(root).filter((pkg) => dirs.includes(pkg.dir));
    if (packages.length !== dirs.length) {
      throw new Error(
        `not a publishable workspace package: ${dirs.filter((d) => !packages.some((p) => p.dir === d)).join(", ")}`,
      );
    }
    return lintPackages(packages, root);
  },
  "lint-packages": async (args) => {
    const { values } = parseArgs({ args, options: { "no-build": { type: "boolean" } } });
    const root = findWorkspaceRoot();
    const packages = publishablePackages(root);
    if (!values["no-build"]) {
      await step("build (turbo)", () =>
        run(
          toolBin("turbo"),
          [
            "run",
            "build",
            "--output-logs=errors-only",
            ...packages.map((p) => `--filter=${p.name}`),
          ],
          { cwd: root },
        ),
      );
    }
    return lintPackages(packages, root);
  },
  "check-changesets": async () => runChangesetCheck(findWorkspaceRoot()),
  "sync-spec-version": async () => {
    syncSpecVersion(findWorkspaceRoot());
    return true;
  },
  "release-check": async () => releaseCheck(findWorkspaceRoot()),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(name ? `unknown command: ${name}\n\n${USAGE}` : USAGE);
    return 2;
  }
  try {
    return (await command(args)) ? 0 : 1;
  } catch (error) {
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
