// Build benchmark: a cold `turbo run build --force` against a second run with no change, in one
// session. The second run must be a full cache hit and must not touch a generated file.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const turbo = join(root, "node_modules/.bin/turbo");

function run(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(turbo, ["run", "build", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    throw new Error(`turbo ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return { ms, output: result.stdout };
}

function generatedFiles() {
  const dir = join(root, "packages/client/src/generated");
  return Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]));
}

const cold = run(["--force"]);
const before = generatedFiles();
const warm = run([]);
const after = generatedFiles();

const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(warm.output);
const fullHit = cached !== null && cached[1] === cached[2];
const untouched = JSON.stringify(before) === JSON.stringify(after);

console.log("build benchmark (turbo, this machine, one run)");
console.log(`  cold build (--force):          ${cold.ms.toFixed(0)} ms`);
console.log(
  `  second build, no change:       ${warm.ms.toFixed(0)} ms  (${cached ? `${cached[1]}/${cached[2]} tasks cached` : "no cache summary"})`,
);
console.log(`  ratio second/cold:             ${(warm.ms / cold.ms).toFixed(3)}`);
console.log(`  full cache hit:                ${fullHit ? "PASS" : "FAIL"}`);
console.log(`  generated files untouched:     ${untouched ? "PASS" : "FAIL"}`);
if (!fullHit || !untouched) process.exitCode = 1;
