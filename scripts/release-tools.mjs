// Shared by the release scripts: running commands with captured output, timed steps, the
// workspace's publishable packages, and the pnpm that launched us.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/**
 * The pnpm to run: the one executing this script (`pnpm release:check` sets npm_execpath), else
 * `pnpm` on PATH, else the pinned one through npx (how the README and CI run pnpm).
 * @returns {[string, string[]]} command and leading arguments
 */
export function pnpmCommand() {
  const { npm_execpath: execPath } = process.env;
  if (execPath && /pnpm/.test(execPath) && /\.(c?js|mjs)$/.test(execPath)) {
    return [process.execPath, [execPath]];
  }
  const onPath = (process.env.PATH ?? "")
    .split(":")
    .some((dir) => dir && existsSync(join(dir, "pnpm")));
  if (onPath) return ["pnpm", []];
  return ["npx", ["-y", "pnpm@10.34.9"]];
}

/** Commands still running, so that an interrupted script can stop them. */
const running = new Set();

/** Stops every command `run` started that is still running. */
export function stopRunningCommands() {
  for (const child of running) killGroup(child, "SIGTERM");
}

/** Each command runs in its own process group, so that its own children stop with it. */
function killGroup(child, signal) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/**
 * Runs a command; resolves with its output, rejects with the command line, exit code and the end
 * of its output. `allowFailure` resolves instead, with the code.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, allowFailure?: boolean, echo?: boolean }} [options]
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string, output: string }>}
 */
export function run(command, args, options = {}) {
  const { cwd = repoRoot, env = process.env, timeoutMs = 300_000, allowFailure = false } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    running.add(child);
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      stdout += chunk;
      output += chunk;
      if (options.echo) process.stdout.write(indent(chunk));
    });
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr += chunk;
      output += chunk;
      if (options.echo) process.stdout.write(indent(chunk));
    });
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const result = { code, stdout: plain(stdout), stderr: plain(stderr), output: plain(output) };
      if (code === 0 || allowFailure) return resolve(result);
      const why = signal
        ? `killed by ${signal}${signal === "SIGKILL" ? " (timeout)" : ""}`
        : `exit ${code}`;
      reject(
        new Error(
          `\`${[command, ...args].join(" ")}\` in ${cwd}: ${why}\n${tail(plain(output), 40)}`,
        ),
      );
    });
  });
}

/** Without ANSI colour codes, so that output can be matched and quoted. */
export function plain(text) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}

function indent(text) {
  return text.replace(/^(?=.)/gm, "      ");
}

/** The last `lines` lines of a command's output, for error messages. */
export function tail(text, lines) {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** Prints a step, its duration, and the error if it fails. */
export async function step(title, action) {
  const started = performance.now();
  console.log(`▶ ${title}`);
  try {
    const value = await action();
    console.log(`✔ ${title} (${seconds(performance.now() - started)})`);
    return value;
  } catch (error) {
    console.log(`✘ ${title} (${seconds(performance.now() - started)})`);
    throw error;
  }
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The workspace's publishable packages: packages/* that are not private.
 * @returns {{ name: string, version: string, dir: string, manifest: Record<string, any> }[]}
 */
export function publishablePackages(root = repoRoot) {
  const packagesDir = join(root, "packages");
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(packagesDir, e.name, "package.json")))
    .map((e) => {
      const dir = join(packagesDir, e.name);
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      return { name: manifest.name, version: manifest.version, dir, manifest };
    })
    .filter((pkg) => !pkg.manifest.private)
    .sort((a, b) => a.name.localeCompare(b.name));
}
