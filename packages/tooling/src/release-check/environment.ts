// What the rehearsal's commands see, and how it undoes what it did.
import { join } from "node:path";
import { type RunResult, stopRunningCommands } from "../process.js";

/**
 * The environment for tools run in the copy or the consumer: none of our pnpm's npm_* settings,
 * none of turbo's, and no workspace binaries on PATH (pnpm adds the copy's own).
 */
export function cleanEnv(workspace: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|TURBO_)/i.test(key)) env[key] = value;
  }
  env.PATH = (env.PATH ?? "")
    .split(":")
    .filter((dir) => !dir.startsWith(workspace) || !dir.includes("node_modules"))
    .join(":");
  return {
    ...env,
    CI: "true",
    TURBO_TELEMETRY_DISABLED: "1",
    DO_NOT_TRACK: "1",
    REDOCLY_TELEMETRY: "off",
    REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
    ...extra,
  };
}

/** Undo actions, run once, newest first, also on SIGINT/SIGTERM/SIGHUP; never throws. */
export class Cleanup {
  private readonly actions: (() => Promise<void> | void)[] = [];
  private running: Promise<void> | undefined;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping what the release check started`);
    void this.run().finally(() => process.exit(130));
  };

  constructor() {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
      process.on(signal, this.onSignal);
  }

  add(action: () => Promise<void> | void): void {
    this.actions.push(action);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      stopRunningCommands();
      for (const action of this.actions.reverse()) {
        try {
          await action();
        } catch (error) {
          console.error(`  cleanup: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
        process.off(signal, this.onSignal);
      }
    })();
    return this.running;
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** The copy's node_modules/.bin command `name`. */
export const copyBin = (copy: string, name: string) => join(copy, "node_modules/.bin", name);

/** What every step of the rehearsal works with. */
export interface Rehearsal {
  /** The workspace being rehearsed (never changed). */
  workspace: string;
  /** The scratch folder, removed at the end. */
  temp: string;
  /** The throw-away copy of the workspace inside `temp`. */
  copy: string;
  /** The environment for commands run in the copy and the consumer. */
  env: NodeJS.ProcessEnv;
  /** Runs pnpm in the copy. */
  pnpm: (args: string[]) => Promise<RunResult>;
  cleanup: Cleanup;
}
