// Cache benchmark (`pnpm bench`, last): turbo must serve a second `pnpm build` and a second
// `pnpm test` with no change entirely from its cache, in one session on this machine.
//   1. build: a cold `turbo run build --force`, then the same with no change;
//   2. test: `turbo run typecheck test` (what `pnpm test` runs) once to fill the cache, then again.
// Prints both second runs as cached/total tasks and their time against the first run.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const turbo = join(root, "node_modules/.bin/turbo");

function turboRun(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(turbo, ["run", ...args, "--continue"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const output = `${result.stdout}${result.stderr}`;
  const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(output);
  const failed = /Failed:\s+(.+)/.exec(output)?.[1]?.trim();
  return {
    ms,
    ok: result.status === 0,
    cached: cached ? Number(cached[1]) : 0,
    total: cached ? Number(cached[2]) : 0,
    failed,
  };
}

function generatedFiles() {
  const dir = join(root, "packages/client/src/generated");
  return Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]));
}

const line = (label, value) => console.log(`  ${label.padEnd(34)}${value}`);
const runLine = (run) =>
  `${run.ms.toFixed(0).padStart(7)} ms  (${run.cached}/${run.total} tasks cached${run.failed ? `; failed: ${run.failed}` : ""})`;
let pass = true;
const verdict = (ok) => {
  pass &&= ok;
  return ok ? "PASS" : "FAIL";
};

console.log("cache benchmark (turbo, this machine, one session)");
const coldBuild = turboRun(["build", "--force"]);
const before = generatedFiles();
const warmBuild = turboRun(["build"]);
const untouched = JSON.stringify(before) === JSON.stringify(generatedFiles());
line("build, cold (--force):", runLine(coldBuild));
line("build again, no change:", runLine(warmBuild));
line("  ratio second/cold:", (warmBuild.ms / coldBuild.ms).toFixed(3));
line("  full cache hit:", verdict(warmBuild.ok && warmBuild.cached === warmBuild.total));
line("  generated files untouched:", verdict(untouched));

const firstTest = turboRun(["typecheck", "test"]);
const secondTest = turboRun(["typecheck", "test"]);
line("pnpm test's tasks, first run:", runLine(firstTest));
line("pnpm test's tasks, again:", runLine(secondTest));
line("  ratio second/first:", (secondTest.ms / firstTest.ms).toFixed(3));
// A failed task is never cached, so it runs again: the verdict names it.
line("  full cache hit:", verdict(secondTest.ok && secondTest.cached === secondTest.total));
if (!pass) process.exitCode = 1;
