// Commands the tooling runs (tinyexec), each in its own process group, so that an interrupted
// tool stops what it started and everything those commands started in turn.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Result, x } from "tinyexec";

export interface RunOptions {
  cwd?: string;
  /** The whole environment of the command (not merged with ours); undefined values are left out. */
  env?: NodeJS.ProcessEnv;
  /** Stops the command's process group with SIGKILL after this long (default 5 minutes). */
  timeoutMs?: number;
  /** Resolve with the exit code instead of rejecting when the command fails. */
  allowFailure?: boolean;
}

export interface RunResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** stdout, then stderr, without ANSI colours. */
  output: string;
}

/** Commands started and not yet finished. */
const running = new Set<Result>();

/** Stops the process group of every command still running (SIGTERM). */
export function stopRunningCommands(): void {
  for (const command of running) signalGroup(command, "SIGTERM");
}

/** How many commands are still running (for tests). */
export function runningCommandCount(): number {
  return running.size;
}

function signalGroup(command: Result, signal: NodeJS.Signals): void {
  const { pid } = command;
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    command.kill(signal); // the group is gone already, or the platform has none
  }
}

/** The environment the command sees: exactly `env`, with undefined values removed. */
function exactEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // tinyexec merges the given env over process.env; variables we dropped must be set to
  // undefined explicitly so that spawn leaves them out.
  const cleared = Object.fromEntries(Object.keys(process.env).map((key) => [key, undefined]));
  return { ...cleared, ...env };
}

/** Starts a command in its own process group; the caller awaits or streams the result. */
export function start(command: string, args: string[], options: RunOptions = {}): Result {
  const child = x(command, args, {
    nodePath: false,
    throwOnError: false,
    nodeOptions: {
      cwd: options.cwd ?? process.cwd(),
      env: exactEnv(options.env ?? process.env),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    },
  });
  running.add(child);
  child.process?.once("close", () => running.delete(child));
  return child;
}

/**
 * Runs a command to its end; resolves with its output, rejects with the command line, how it
 * ended and the end of its output.
 */
export async function run(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const { timeoutMs = 300_000, allowFailure = false } = options;
  const child = start(command, args, options);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signalGroup(child, "SIGKILL");
  }, timeoutMs);
  try {
    const { stdout, stderr, exitCode } = await child;
    const result = {
      exitCode,
      stdout: plain(stdout),
      stderr: plain(stderr),
      output: plain(stdout + stderr),
    };
    if (exitCode === 0 || allowFailure) return result;
    const how = timedOut
      ? `stopped after ${seconds(timeoutMs)} (timeout)`
      : child.signalCode
        ? `killed by ${child.signalCode}`
        : `exit ${exitCode}`;
    throw new Error(
      `\`${[command, ...args].join(" ")}\` in ${options.cwd ?? process.cwd()}: ${how}\n${tail(result.output, 40)}`,
    );
  } finally {
    clearTimeout(timer);
    running.delete(child);
  }
}

/**
 * The pnpm to run: the one executing us (`pnpm <script>` sets npm_execpath), else `pnpm` on
 * PATH, else the pinned one through npx (how the README and CI run pnpm).
 */
export function pnpmCommand(env = process.env): [string, string[]] {
  const execPath = env.npm_execpath;
  if (execPath && /pnpm/.test(execPath) && /\.(c?js|mjs)$/.test(execPath)) {
    return [process.execPath, [execPath]];
  }
  const onPath = (env.PATH ?? "").split(":").some((dir) => dir && existsSync(join(dir, "pnpm")));
  return onPath ? ["pnpm", []] : ["npx", ["-y", "pnpm@10.34.9"]];
}

/** Without ANSI colour codes, so that output can be matched and quoted. */
export function plain(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}

/** The last `lines` lines of a command's output, for error messages. */
export function tail(text: string, lines: number): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Prints a step, its duration, and whether it failed. */
export async function step<T>(title: string, action: () => Promise<T> | T): Promise<T> {
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
