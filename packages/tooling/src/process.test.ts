import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pnpmCommand, run, runningCommandCount, start, stopRunningCommands } from "./process.js";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const gone = async (pid: number) => {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
};
const waitFor = async (file: string) => {
  for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
  return readFileSync(file, "utf8").trim();
};

let dir: string | undefined;
afterEach(() => {
  stopRunningCommands();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("run", () => {
  it("resolves with the output of a command that succeeds", async () => {
    const result = await run("sh", ["-c", "echo out; echo err >&2"]);
    expect(result).toEqual({ exitCode: 0, stdout: "out\n", stderr: "err\n", output: "out\nerr\n" });
    expect(runningCommandCount()).toBe(0);
  });

  it("rejects naming the command, the directory, the exit code and the end of the output", async () => {
    await expect(run("sh", ["-c", "echo why >&2; exit 3"], { cwd: tmpdir() })).rejects.toThrow(
      `\`sh -c echo why >&2; exit 3\` in ${tmpdir()}: exit 3\nwhy`,
    );
    expect(await run("sh", ["-c", "exit 4"], { allowFailure: true })).toMatchObject({
      exitCode: 4,
    });
  });

  it("gives the command exactly the environment it is given", async () => {
    const leak = "TOOLING_TEST_LEAK"; // one of ours the command must not see
    process.env[leak] = "ours";
    try {
      const { stdout } = await run("sh", ["-c", `echo "\${${leak}:-unset} $ONLY"`], {
        env: { PATH: process.env.PATH, ONLY: "given" },
      });
      expect(stdout).toBe("unset given\n");
    } finally {
      delete process.env[leak];
    }
  });

  it("strips ANSI colours from what it returns", async () => {
    expect((await run("printf", ["\\033[31mred\\033[0m"])).stdout).toBe("red");
  });

  it("stops the whole process group after the timeout", async () => {
    dir = mkdtempSync(join(tmpdir(), "tooling-process-"));
    const pidFile = join(dir, "pid");
    const ran = run("sh", ["-c", `sleep 30 & echo $! > ${pidFile}; wait`], { timeoutMs: 500 });
    await expect(ran).rejects.toThrow(/stopped after 0\.5 s \(timeout\)/);
    expect(await gone(Number(await waitFor(pidFile)))).toBe(true);
  });
});

describe("process groups", () => {
  it("stopRunningCommands stops each command and what it started in turn", async () => {
    dir = mkdtempSync(join(tmpdir(), "tooling-process-"));
    const pidFile = join(dir, "pid");
    const child = start("sh", ["-c", `sleep 30 & echo $! > ${pidFile}; wait`]);
    const grandchild = Number(await waitFor(pidFile));
    expect(alive(grandchild)).toBe(true);
    stopRunningCommands();
    await child;
    expect(await gone(grandchild)).toBe(true);
  });

  it("an interrupted tool (Ctrl-C) stops what it started before it exits", async () => {
    // The compiled tooling, as `pnpm release:check` runs it: its Cleanup handles SIGINT.
    const dist = new URL("../dist/", import.meta.url);
    dir = mkdtempSync(join(tmpdir(), "tooling-process-"));
    const pidFile = join(dir, "pid");
    const script = `
      const { Cleanup } = await import(${JSON.stringify(new URL("release-check/environment.js", dist).href)});
      const { run } = await import(${JSON.stringify(new URL("process.js", dist).href)});
      new Cleanup();
      await run("sh", ["-c", "sleep 30 & echo $! > ${pidFile}; wait"]);
    `;
    const tool = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "pipe" });
    let stderr = "";
    tool.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => tool.on("exit", resolve));
    const grandchild = Number(await waitFor(pidFile));
    tool.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toContain("SIGINT: stopping what the release check started");
    expect(await gone(grandchild)).toBe(true);
  });
});

describe("pnpmCommand", () => {
  it("prefers the pnpm running us, then pnpm on PATH, then the pinned one through npx", () => {
    expect(pnpmCommand({ npm_execpath: "/x/pnpm/bin/pnpm.cjs" })).toEqual([
      process.execPath,
      ["/x/pnpm/bin/pnpm.cjs"],
    ]);
    expect(pnpmCommand({ PATH: "/nonexistent" })).toEqual(["npx", ["-y", "pnpm@10.34.9"]]);
  });
});
