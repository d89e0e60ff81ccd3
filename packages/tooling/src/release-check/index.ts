// `pnpm release:check`: a release rehearsal, end to end, on a real registry, never touching the
// workspace or the public registry's @wechatpay-marketing scope. In a throw-away copy of the
// working tree it versions every package with a sample changeset, builds and lints them, publishes
// them to Verdaccio on 127.0.0.1; a consumer project outside the workspace (the fixture package
// fixtures/release-consumer) installs client and sandbox from there, type-checks, runs, and fails
// to compile where it must; then the install footprint of the client is measured beside other
// WeChat Pay SDKs. Stops everything it started and removes its folders, also on failure or
// Ctrl-C, and fails if `git status --porcelain` of the workspace differs afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lintPackages } from "../package-lint/lint-package.js";
import { pnpmCommand, run, seconds, step } from "../process.js";
import {
  gitStatus,
  publishablePackages,
  snapshotWorkingTree,
  type WorkspacePackage,
  workspacePackage,
} from "../workspace.js";
import { checkExpectedErrors, runConsumer, typecheckConsumer, writeConsumer } from "./consumer.js";
import { Cleanup, cleanEnv, type Rehearsal } from "./environment.js";
import { type Footprint, measureFootprint, OTHER_SDKS, reportFootprints } from "./footprint.js";
import { checkInstalledFromRegistry, npmInstall, publishAll } from "./publishing.js";
import { type Registry, SCOPE, startRegistry } from "./registry.js";
import { planSampleRelease, versionPackages } from "./versioning.js";

const timings: [string, number][] = [];

/** A named step, timed for the summary. */
async function timed<T>(title: string, action: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  try {
    return await step(title, action);
  } finally {
    timings.push([title, performance.now() - started]);
  }
}

function prepare(workspace: string, cleanup: Cleanup): Rehearsal {
  const temp = mkdtempSync(join(tmpdir(), "wechatpay-marketing-release-check-"));
  cleanup.add(() => {
    rmSync(temp, { recursive: true, force: true });
    console.log(`  removed ${temp}`);
  });
  const copy = join(temp, "repo");
  const env = cleanEnv(workspace);
  const [pnpm, pnpmArgs] = pnpmCommand();
  return {
    workspace,
    temp,
    copy,
    env,
    cleanup,
    pnpm: (args) => run(pnpm, [...pnpmArgs, ...args], { cwd: copy, env, timeoutMs: 600_000 }),
  };
}

const install = (r: Rehearsal) => r.pnpm(["install", "--frozen-lockfile", "--prefer-offline"]);

function buildPackages(r: Rehearsal, packages: WorkspacePackage[]) {
  const filters = packages.map((p) => `--filter=${p.name}`);
  return r.pnpm(["exec", "turbo", "run", "build", "--output-logs=errors-only", ...filters]);
}

async function lintPacked(r: Rehearsal) {
  if (!(await lintPackages(publishablePackages(r.copy), r.copy))) {
    throw new Error("package lint failed");
  }
}

const published = (r: Rehearsal, name: string) =>
  `${name}@${workspacePackage(r.copy, name).version}`;

/** The fixture project outside the workspace, with client and sandbox from the registry only. */
async function installConsumer(r: Rehearsal, registry: Registry, dir: string) {
  const files = writeConsumer(r.copy, dir);
  await npmInstall(r, registry, dir, [
    published(r, `${SCOPE}/client`),
    published(r, `${SCOPE}/sandbox`),
    "@types/node@20",
  ]);
  await checkInstalledFromRegistry(registry, dir);
  return files;
}

async function runTypedCalls(r: Rehearsal, dir: string) {
  const { stockId, stockState, url } = await runConsumer(dir, r.env);
  console.log(`  stock ${stockId} (${stockState}) created and read back on ${url}`);
}

async function checkWrongCalls(r: Rehearsal, dir: string, files: string[]) {
  for (const d of await checkExpectedErrors(dir, r.env, files)) {
    console.log(`  ${d.file}:${d.line}: ${d.code} ${d.message.split("\n")[0]?.slice(0, 100)}`);
  }
}

/** The client alone, then each other SDK, each installed into an empty project. */
async function measureFootprints(r: Rehearsal, registry: Registry) {
  const install = { registry: registry.url, cache: join(r.temp, "npm-cache"), env: r.env };
  const dir = (name: string) => join(r.temp, "footprint", name);
  const ours = await measureFootprint(published(r, `${SCOPE}/client`), dir("ours"), install);
  const others: Footprint[] = [];
  for (const [i, spec] of OTHER_SDKS.entries()) {
    others.push(await measureFootprint(spec, dir(`other-${i}`), install));
  }
  console.log("\nInstall footprint (npm install <package>, nothing else, into an empty project):");
  reportFootprints(ours, others);
}

/** The rehearsal, step by step. */
async function rehearse(r: Rehearsal): Promise<void> {
  console.log(`release check: workspace ${r.workspace}, scratch ${r.temp}\n`);
  const consumer = join(r.temp, "consumer");
  await timed("copy the working tree", () =>
    console.log(`  ${snapshotWorkingTree(r.workspace, r.copy)} files`),
  );
  await timed("install (frozen lockfile)", () => install(r));
  const planned = await timed("changeset status with a sample changeset", () =>
    planSampleRelease(r),
  );
  const packages = await timed("pnpm version-packages", () => versionPackages(r, planned));
  await timed("install after versioning (frozen lockfile)", () => install(r));
  await timed("build the packages (turbo)", () => buildPackages(r, packages));
  await timed("lint the packed packages (publint, attw, contents)", () => lintPacked(r));
  const registry = await timed("start Verdaccio on 127.0.0.1", () =>
    startRegistry(join(r.temp, "registry"), r.env, r.cleanup),
  );
  await timed(`pnpm publish -r to ${registry.url}`, () => publishAll(r, registry, packages));
  const files = await timed(
    "consumer: npm install client + sandbox from the local registry only",
    () => installConsumer(r, registry, consumer),
  );
  await timed("consumer: tsc (strict, NodeNext, published .d.ts checked)", () =>
    typecheckConsumer(consumer, r.env),
  );
  await timed("consumer: run against startSandbox()", () => runTypedCalls(r, consumer));
  await timed("consumer: the calls that must not compile fail with the expected errors", () =>
    checkWrongCalls(r, consumer, files),
  );
  await timed("footprint: client alone, and other WeChat Pay SDKs", () =>
    measureFootprints(r, registry),
  );
}

/** The whole rehearsal; resolves false when it failed (after cleaning up). */
export async function releaseCheck(workspace: string): Promise<boolean> {
  const began = performance.now();
  const statusBefore = gitStatus(workspace);
  const cleanup = new Cleanup();
  let failure: unknown;
  try {
    await rehearse(prepare(workspace, cleanup));
  } catch (error) {
    failure = error;
  } finally {
    await cleanup.run();
  }
  const statusAfter = gitStatus(workspace);
  if (statusAfter !== statusBefore) {
    failure ??= new Error(
      `the workspace changed during the release check:\nbefore:\n${statusBefore}\nafter:\n${statusAfter}`,
    );
  } else {
    console.log("workspace unchanged (git status --porcelain identical before and after)");
  }
  console.log("\nTimings:");
  for (const [title, ms] of timings) console.log(`  ${seconds(ms).padStart(8)}  ${title}`);
  console.log(`  ${seconds(performance.now() - began).padStart(8)}  total`);
  if (failure) {
    console.error(
      `\nrelease check FAILED: ${failure instanceof Error ? failure.message : String(failure)}`,
    );
    return false;
  }
  console.log(`\nrelease check passed in ${seconds(performance.now() - began)}`);
  return true;
}
